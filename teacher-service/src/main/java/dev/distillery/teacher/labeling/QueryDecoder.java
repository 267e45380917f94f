package dev.distillery.teacher.labeling;

import java.io.IOException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.messages.Schema;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import dev.distillery.text.TextRule;

/**
 * Turns a record of {@code distill.queries} into a query: a JSON {@code Query} when the value is a JSON object,
 * else the value itself as plain UTF-8 text (so {@code kcat -P} with one sentence a line works). The id is the JSON
 * id, else the record key, else a generated one. A value starting with '{' is read as JSON, so a plain-text query
 * that looks like a broken JSON object is rejected as malformed-json (so is JSON with a duplicate key). The text
 * meets the common {@link TextRule}; an id longer than {@link RecordId#MAX_LENGTH} is rejected as {@code id-too-long}
 * under its {@linkplain RecordId#bounded bounded} form.
 */
public final class QueryDecoder {

    private static final ObjectReader READER = MessageCodec.strictReader();

    private final TextRule rule;
    private final Supplier<String> ids;

    /** Either a query ready for the teacher or the reason it is not one. */
    public sealed interface Result permits Decoded, Rejection {
    }

    /** A query ready for the teacher: non-blank, within the size limit, trimmed. */
    public record Decoded(String id, String text) implements Result {
    }

    public QueryDecoder(TextRule rule, Supplier<String> ids) {
        this.rule = rule;
        this.ids = ids;
    }

    public Result decode(String key, byte[] value) {
        String fallbackId = key != null && !key.isBlank() ? key : ids.get();
        if (RecordId.tooLong(fallbackId)) {
            return idTooLong(fallbackId, "record key");
        }
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
        if (RecordId.tooLong(id)) {
            return idTooLong(id, "JSON id");
        }
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

    private Result check(String id, String raw) {
        return rule.check(raw, "text")
                .<Result>map(v -> Rejection.of(id, v.reason(), v.detail()))
                .orElseGet(() -> new Decoded(id, raw.strip()));
    }

    private static Rejection idTooLong(String id, String where) {
        return Rejection.of(RecordId.bounded(id), RejectReason.ID_TOO_LONG, "the " + where + " has " + id.length()
                + " characters; the limit is " + RecordId.MAX_LENGTH);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
