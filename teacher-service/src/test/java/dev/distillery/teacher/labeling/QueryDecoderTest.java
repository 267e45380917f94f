package dev.distillery.teacher.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import dev.distillery.teacher.labeling.QueryDecoder.Decoded;

class QueryDecoderTest {

    private final QueryDecoder decoder = new QueryDecoder(new dev.distillery.text.TextRule(20), () -> "generated");

    private QueryDecoder.Result decode(String key, String value) {
        return decoder.decode(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idComesFromJsonThenKeyThenGenerator() {
        assertEquals(new Decoded("q1", "hello there"), decode("key", "{\"id\": \"q1\", \"text\": \"hello there\"}"));
        assertEquals(new Decoded("42", "hello there"), decode("key", "{\"id\": 42, \"text\": \"hello there\"}"));
        assertEquals(new Decoded("key", "hello there"), decode("key", "{\"text\": \"hello there\"}"));
        assertEquals(new Decoded("key", "hello there"), decode("key", "  hello there \n"));
        assertEquals(new Decoded("generated", "hello there"), decode(null, "hello there"));
        assertEquals(new Decoded("generated", "hello there"), decode(" ", "hello there"));
    }

    @Test
    void plainTextThatIsNotAnObjectStaysText() {
        assertEquals(new Decoded("k", "[Music] hi all"), decode("k", "[Music] hi all"));
        assertEquals(new Decoded("k", "42"), decode("k", "42"));
    }

    @Test
    void badRecordsAreRejectedWithTheirReason() {
        assertReason(RejectReason.EMPTY_TEXT, decoder.decode("k", null));
        assertReason(RejectReason.EMPTY_TEXT, decode("k", ""));
        assertReason(RejectReason.EMPTY_TEXT, decode("k", "{\"text\": \"\\t \"}"));
        assertReason(RejectReason.TEXT_TOO_LONG, decode("k", "x".repeat(21)));
        assertEquals(new Decoded("k", "x".repeat(20)), decode("k", " " + "x".repeat(20) + " "));
        assertReason(RejectReason.INVALID_UTF8, decoder.decode("k", new byte[] {(byte) 0xFF, 'a'}));
        assertReason(RejectReason.MALFORMED_JSON, decode("k", "{\"text\": "));
        assertReason(RejectReason.MALFORMED_JSON, decode("k", "{\"text\": \"a\"} {\"text\": \"b\"}"));
        assertReason(RejectReason.MALFORMED_JSON, decode("k", "{\"text\": [\"a\"]}"));
        assertReason(RejectReason.MALFORMED_JSON, decode("k", "{\"id\": \"q\"}"));
        assertReason(RejectReason.UNSUPPORTED_SCHEMA, decode("k", "{\"schema\": 2, \"text\": \"hi there\"}"));
        assertEquals(new Decoded("k", "hi there"), decode("k", "{\"schema\": 1, \"text\": \"hi there\"}"));
    }

    @Test
    void theKafkaEdgeRefusesWhatTheHttpEdgesRefuse() {
        assertReason(RejectReason.INVALID_UNICODE, decode("k", "{\"text\": \"\\ud800\"}"));
        assertReason(RejectReason.MALFORMED_JSON, decode("k", "{\"text\": \"a\", \"text\": \"b\"}"));
        assertReason(RejectReason.FORBIDDEN_CHARACTER, decode("k", "\uFEFF{\"text\": \"hello\"}"));
        assertReason(RejectReason.FORBIDDEN_CHARACTER, decode("k", "{\"text\": \"a\\u0000b\"}"));
        assertReason(RejectReason.FORBIDDEN_CHARACTER, decode("k", "hello\u0000"));
    }

    @Test
    void anIdOverTheLimitIsRejectedUnderItsBoundedForm() {
        String longId = "q".repeat(RecordId.MAX_LENGTH + 1);
        Rejection fromJson = assertInstanceOf(Rejection.class,
                decode("key", "{\"id\": \"" + longId + "\", \"text\": \"hello there\"}"));
        assertEquals(RejectReason.ID_TOO_LONG, fromJson.reason());
        assertEquals(RecordId.bounded(longId), fromJson.id());
        Rejection fromKey = assertInstanceOf(Rejection.class, decode(longId, "hello there"));
        assertEquals(RejectReason.ID_TOO_LONG, fromKey.reason());
        String atLimit = "q".repeat(RecordId.MAX_LENGTH);
        assertEquals(new Decoded(atLimit, "hello there"), decode(atLimit, "hello there"));
    }

    @Test
    void rejectionKeepsTheJsonIdWhenThereIsOne() {
        Rejection r = assertInstanceOf(Rejection.class, decode("key", "{\"id\": \"q7\", \"text\": \"\"}"));
        assertEquals("q7", r.id());
    }

    private static void assertReason(RejectReason expected, QueryDecoder.Result result) {
        Rejection r = assertInstanceOf(Rejection.class, result);
        assertEquals(expected, r.reason(), r.detail());
    }
}
