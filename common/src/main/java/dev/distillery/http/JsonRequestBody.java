package dev.distillery.http;

import java.io.IOException;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.distillery.messages.Rejected;

/**
 * Request bodies are read as bytes and parsed here rather than bound by the framework, so that every way a body can
 * be wrong gets the same stable error code in every service: {@code empty-body}, {@code invalid-utf8},
 * {@code malformed-json} (also for trailing content and duplicate keys), {@code invalid-body} (not an object).
 */
public final class JsonRequestBody {

    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private JsonRequestBody() {
    }

    /** The body as a JSON object, or an {@link ApiException} naming what is wrong with it. */
    public static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("empty-body", "the request body is empty; send a JSON object");
        }
        String text = Rejected.decodeUtf8(body);
        if (text == null) {
            throw ApiException.badRequest("invalid-utf8", "the request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw ApiException.badRequest("malformed-json", "the request body is not valid JSON: " + message);
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw ApiException.badRequest("invalid-body", "the request body must be a JSON object");
        }
        return node;
    }

    /** "a string", "an array", ...: for messages about a field of the wrong type. */
    public static String typeOf(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
