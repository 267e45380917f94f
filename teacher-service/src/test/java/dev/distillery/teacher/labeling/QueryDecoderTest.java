package dev.distillery.teacher.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

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
    void rejectionKeepsTheJsonIdWhenThereIsOne() {
        Rejection r = assertInstanceOf(Rejection.class, decode("key", "{\"id\": \"q7\", \"text\": \"\"}"));
        assertEquals("q7", r.id());
    }

    private static void assertReason(RejectReason expected, QueryDecoder.Result result) {
        Rejection r = assertInstanceOf(Rejection.class, result);
        assertEquals(expected, r.reason(), r.detail());
    }
}
