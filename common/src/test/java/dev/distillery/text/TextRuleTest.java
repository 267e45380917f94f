package dev.distillery.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;

class TextRuleTest {

    private final TextRule rule = new TextRule(10);

    private RejectReason reason(String text) {
        return rule.check(text, "text").map(TextRule.Violation::reason).orElse(null);
    }

    @Test
    void acceptsWellFormedTextWithinTheLimitCountingCodePoints() {
        assertEquals(null, reason("hello"));
        assertEquals(null, reason("  ten chars!  ".strip()));
        assertEquals(null, reason("😀".repeat(10)), "10 code points, 20 UTF-16 units");
        assertEquals(null, reason("   padded   "), "surrounding whitespace does not count");
    }

    @Test
    void refusesEachKindOfBadTextWithItsOwnReason() {
        assertEquals(RejectReason.EMPTY_TEXT, reason(""));
        assertEquals(RejectReason.EMPTY_TEXT, reason(" \t\n"));
        assertEquals(RejectReason.EMPTY_TEXT, reason(null));
        assertEquals(RejectReason.TEXT_TOO_LONG, reason("x".repeat(11)));
        assertEquals(RejectReason.INVALID_UNICODE, reason("a\ud800b"));
        assertEquals(RejectReason.INVALID_UNICODE, reason("a\udc00"));
        assertEquals(RejectReason.FORBIDDEN_CHARACTER, reason("a\u0000b"));
        assertEquals(RejectReason.FORBIDDEN_CHARACTER, reason("\uFEFFhello"));
        assertEquals(413, rule.check("x".repeat(11), "text").orElseThrow().httpStatus());
        assertEquals(400, rule.check("a\u0000", "text").orElseThrow().httpStatus());
        assertTrue(rule.check("a\u0000", "texts[2]").orElseThrow().detail().startsWith("texts[2]"));
    }

    @Test
    void strictJsonRefusesDuplicateKeys() {
        try {
            MessageCodec.strictReader().readTree("{\"text\":\"a\",\"text\":\"b\"}");
            throw new AssertionError("duplicate keys were accepted");
        } catch (JsonProcessingException e) {
            assertTrue(e.getMessage().contains("Duplicate field"), e.getMessage());
        }
    }

    @Test
    void rejectionsAreBoundedWhateverTheInput() {
        String hugeId = "i".repeat(600_000);
        byte[] hugePayload = "\u0001".repeat(900_000).getBytes(StandardCharsets.UTF_8);
        Rejected r = Rejected.of(hugeId, "teacher", RejectReason.ID_TOO_LONG, "d".repeat(10_000), hugePayload,
                java.time.Instant.now());
        assertTrue(r.id().length() < 200, r.id());
        assertEquals(RecordId.bounded(hugeId), r.id(), "the same id always bounds to the same key");
        assertEquals(Rejected.MAX_PAYLOAD_BYTES, r.payloadBytes().length);
        // Every kept byte is a control character JSON escapes as six bytes: still under the broker's 1 MB.
        assertTrue(MessageCodec.encode(r).length < 1_000_000, "encoded size " + MessageCodec.encode(r).length);
        byte[] accented = "é".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        Rejected cut = Rejected.of("id", "teacher", RejectReason.TEXT_TOO_LONG, null, accented, java.time.Instant.now(),
                1001);
        assertEquals(Rejected.UTF_8, cut.encoding(), "cut on a character boundary, so still text");
        assertEquals(1000, cut.payloadBytes().length);
    }
}
