package dev.distillery.teacher.labeling;

import java.io.IOException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.messages.Schema;
import dev.distillery.teacher.labeling.Outcome.Rejection;

/**
 * Turns a record of {@code distill.queries} into a query: a JSON {@code Query} when the value is a JSON object,
 * else the value itself as plain UTF-8 text (so {@code kcat -P} with one sentence a line works). The id is the JSON
 * id, else the record key, else a generated one. A value starting with '{' is read as JSON, so a plain-text query
 * that looks like a broken JSON object is rejected as malformed-json.
 */
public final class QueryDecoder {

    private static final ObjectReader READER =
            MessageCodec.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int maxTextChars;
    private final Supplier<String> ids;

    /** Either a query ready for the teacher or the reason it is not one. */
    public sealed interface Result permits Decoded, Rejection {
    }

    /** A query ready for the teacher: non-blank, within the size limit, trimmed. */
    public record Decoded(String id, String text) implements Result {
    }

    public QueryDecoder(int maxTextChars, Supplier<String> ids) {
        this.maxTextChars = maxTextChars;
        this.ids = ids;
    }

    public Result decode(String key, byte[] value) {
        String fallbackId = key != null && !key.isBlank() ? key : ids.get();
        if (value == null) {
            return Rejection.of(fallbackId, RejectReason.EMPTY_TEXT, "record has no value (tombstone)");
        }
        String s = Rejected.decodeUtf8(value);
        if (s == null) {
            return Rejection.of(fallbackId, RejectReason.INVALID_UTF8, "value is not valid UTF-8");
        }
        if (!s.stripLeading().startsWith("{")) {
            return check(fallbackId, s);
        }
        JsonNode json;
        try {
            json = READER.readTree(s);
        } catch (IOException e) {
            return Rejection.of(fallbackId, RejectReason.MALFORMED_JSON, "not a JSON object: " + firstLine(e.getMessage()));
        }
        JsonNode idNode = json.get("id");
        String id = idNode != null && (idNode.isTextual() || idNode.isIntegralNumber()) && !idNode.asText().isBlank()
                ? idNode.asText() : fallbackId;
        JsonNode schema = json.get("schema");
        if (schema != null && !schema.isNull() && (!schema.canConvertToInt() || schema.asInt() > Schema.VERSION)) {
            return Rejection.of(id, RejectReason.UNSUPPORTED_SCHEMA,
                    "schema " + schema + " is newer than this service's " + Schema.VERSION);
        }
        JsonNode text = json.get("text");
        if (text == null || text.isNull()) {
            return Rejection.of(id, RejectReason.MALFORMED_JSON, "JSON query has no \"text\" field");
        }
        if (!text.isTextual()) {
            return Rejection.of(id, RejectReason.MALFORMED_JSON, "\"text\" must be a string, got " + text.getNodeType());
        }
        return check(id, text.asText());
    }

    /** The text rules every query meets, whichever way it came in (Kafka or HTTP). */
    public Result check(String id, String raw) {
        String text = raw.strip();
        if (text.isEmpty()) {
            return Rejection.of(id, RejectReason.EMPTY_TEXT, "text is empty or whitespace");
        }
        if (text.length() > maxTextChars) {
            return Rejection.of(id, RejectReason.TEXT_TOO_LONG,
                    "text has " + text.length() + " characters; the limit is " + maxTextChars);
        }
        return new Decoded(id, text);
    }

    public int maxTextChars() {
        return maxTextChars;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
