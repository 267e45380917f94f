package dev.distillery.teacher.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;

/** Fields of a request object, each type error with its own message and the {@code invalid-request} code. */
final class JsonBody {

    private JsonBody() {
    }

    static JsonNode object(byte[] body) {
        return JsonRequestBody.parseObject(body);
    }

    static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("invalid-request", "field \"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid-request",
                    "field \"" + field + "\" must be a string, got " + JsonRequestBody.typeOf(value));
        }
        return value.asText();
    }

    /** An optional boolean field: false when absent or null. */
    static boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("invalid-request",
                    "field \"" + field + "\" must be a boolean, got " + JsonRequestBody.typeOf(value));
        }
        return value.booleanValue();
    }
}
