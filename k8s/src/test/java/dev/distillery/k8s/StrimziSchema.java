package dev.distillery.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a Strimzi custom resource against the v1 OpenAPI schema of its CRD, as the API server would when applying
 * it: unknown fields (the server prunes or rejects them), types, enums, required fields and integer bounds.
 * The schemas in src/test/resources/strimzi are Strimzi's own, reduced to the v1 version without descriptions.
 * oneOf/anyOf constraints are not evaluated.
 */
final class StrimziSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String kind;
    private final String apiVersion;
    private final JsonNode schema;

    private StrimziSchema(String kind, String apiVersion, JsonNode schema) {
        this.kind = kind;
        this.apiVersion = apiVersion;
        this.schema = schema;
    }

    static StrimziSchema forKind(String kind) {
        String resource = "/strimzi/" + kind.toLowerCase() + ".v1.schema.json";
        try (InputStream in = StrimziSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no schema " + resource + " for Strimzi kind " + kind);
            }
            JsonNode root = JSON.readTree(in);
            return new StrimziSchema(root.path("kind").asText(), root.path("apiVersion").asText(), root.path("schema"));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + resource, e);
        }
    }

    String kind() {
        return kind;
    }

    String apiVersion() {
        return apiVersion;
    }

    /** Violations as "path: problem"; empty when the resource conforms. */
    List<String> violations(Map<String, Object> resource) {
        List<String> found = new ArrayList<>();
        check(JSON.valueToTree(resource), schema, "", found);
        return found;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> found) {
        String at = path.isEmpty() ? "<root>" : path;
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                found.add(at + ": expected integer or string, got " + value.getNodeType());
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(value, schema, path, at, found);
            case "array" -> {
                if (!value.isArray()) {
                    found.add(at + ": expected array, got " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.path("items"), path + "[" + i + "]", found);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    found.add(at + ": expected string, got " + value.getNodeType() + " " + value);
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    found.add(at + ": expected integer, got " + value.getNodeType() + " " + value);
                    return;
                }
                if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) {
                    found.add(at + ": " + value + " below minimum " + schema.get("minimum"));
                }
                if (schema.has("maximum") && value.asLong() > schema.get("maximum").asLong()) {
                    found.add(at + ": " + value + " above maximum " + schema.get("maximum"));
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    found.add(at + ": expected number, got " + value.getNodeType());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    found.add(at + ": expected boolean, got " + value.getNodeType() + " " + value);
                }
            }
            default -> {
                // untyped (x-kubernetes-preserve-unknown-fields with no type): anything goes
            }
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                found.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, String at, List<String> found) {
        if (!value.isObject()) {
            found.add(at + ": expected object, got " + value.getNodeType());
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                found.add(at + ": required field " + required.asText() + " is missing");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (!properties.isObject() && !additional.isObject()) {
            return; // free-form object (e.g. metadata, config)
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode fieldSchema = properties.path(field.getKey());
            if (!fieldSchema.isMissingNode()) {
                check(field.getValue(), fieldSchema, child, found);
            } else if (additional.isObject()) {
                check(field.getValue(), additional, child, found);
            } else if (!open) {
                found.add(child + ": unknown field (not in the " + "v1 schema)");
            }
        }
    }
}
