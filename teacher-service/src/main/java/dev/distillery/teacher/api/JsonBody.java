package dev.distillery.teacher.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Rejected;

/**
 * Reads request bodies by hand: the resources take raw bytes so that invalid UTF-8, malformed JSON and wrong
 * types each get their own 400 error code instead of a framework default.
 */
final class JsonBody {

    private static final ObjectReader READER =
            MessageCodec.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("malformed-json", "request body is empty; expected a JSON object");
        }
        String text = Rejected.decodeUtf8(body);
        if (text == null) {
            throw ApiException.badRequest("invalid-utf8", "request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw ApiException.badRequest("malformed-json", "request body is not valid JSON: " + message);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("invalid-request", "request body must be a JSON object");
        }
        return node;
    }

    static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("invalid-request", "field \"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid-request",
                    "field \"" + field + "\" must be a string, got " + value.getNodeType().name().toLowerCase());
        }
        return value.asText();
    }
}
