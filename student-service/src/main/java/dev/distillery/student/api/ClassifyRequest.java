package dev.distillery.student.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.text.TextRule;

/**
 * The body of {@code POST /v1/classify}: both its documented schema and what {@link #parse} makes of the bytes
 * (read by hand rather than bound by the framework, so every way a body can be wrong gets its own code).
 *
 * @param text   one text meeting the common {@link TextRule}
 * @param policy {@code student} or {@code cascade}; null for the configured default
 */
public record ClassifyRequest(@Schema(required = true, maxLength = 4000) String text,
        @Schema(enumeration = { "student", "cascade" }, description = "default: distillery.student.policy")
        String policy) {

    public static ClassifyRequest parse(byte[] body, TextRule rule) {
        JsonNode json = JsonRequestBody.parseObject(body);
        JsonNode node = json.get("text");
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-text", "field 'text' is required");
        }
        return new ClassifyRequest(text(node, "text", rule), policy(json));
    }

    /** A text field's value: present, a string, and meeting the rule (its reason code otherwise). */
    static String text(JsonNode node, String name, TextRule rule) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-text", name + " is null");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("invalid-field-type", name + " must be a string, got " + JsonRequestBody.typeOf(node));
        }
        return JsonRequestBody.acceptedText(rule, node.textValue(), name);
    }

    /** The optional {@code policy} field. */
    static String policy(JsonNode json) {
        JsonNode value = json.get("policy");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid-field-type",
                    "'policy' must be a string, got " + JsonRequestBody.typeOf(value));
        }
        return value.textValue();
    }
}
