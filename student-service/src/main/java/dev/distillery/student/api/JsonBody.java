package dev.distillery.student.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Request bodies are read as bytes and parsed here rather than bound by the framework, so that every way a body can
 * be wrong gets its own stable error code: not UTF-8, not JSON, not an object, a field of the wrong type.
 */
final class JsonBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonBody() {
    }

    /** The body as a JSON object. */
    static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("empty-body", "the request body is empty; send a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid-utf8", "the request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed-json", "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw ApiException.badRequest("invalid-body", "the request body must be a JSON object");
        }
        return node;
    }

    static String typeOf(JsonNode node) {
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
