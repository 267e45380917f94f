package dev.distillery.http;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.text.TextRule;

/**
 * Request bodies are read as bytes and parsed here rather than bound by the framework, so that every way a body can
 * be wrong gets the same stable error code in every service: {@code empty-body}, {@code invalid-utf8},
 * {@code malformed-json} (also for trailing content and duplicate keys), {@code invalid-body} (not an object).
 */
public final class JsonRequestBody {

    private static final ObjectReader READER = MessageCodec.strictReader();

    private JsonRequestBody() {
    }

    /** The body as a JSON object, or an {@link ApiException} naming what is wrong with it. */
    public static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("empty-body", "the request body is empty; send a JSON object");
        }
        String text = Rejected.decodeUtf8(body);
        if (text == null) {
            throw ApiException.badRequest(RejectReason.INVALID_UTF8.code(), "the request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw ApiException.badRequest(RejectReason.MALFORMED_JSON.code(), "the request body is not valid JSON: " + message);
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw ApiException.badRequest("invalid-body", "the request body must be a JSON object");
        }
        return node;
    }

    /** The text, or the {@link ApiException} the {@link TextRule} violation maps to (its reason code, 400 or 413). */
    public static String acceptedText(TextRule rule, String text, String name) {
        rule.check(text, name).ifPresent(v -> {
            throw new ApiException(v.httpStatus(), v.reason().code(), v.detail());
        });
        return text.strip();
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
