package dev.distillery.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void labeledExampleRoundTripsAndNeverCarriesThePrompt() throws IOException {
        LabeledExample example = LabeledExample.of("q1", "Bonjour tout le monde", "Final Answer: fr", "fr",
                new LabeledExample.TeacherInfo("rules", "rules-v1", "ab".repeat(32)), new LabeledExample.Usage(310, 4),
                12, Instant.parse("2026-01-02T03:04:05Z"));
        byte[] json = MessageCodec.encode(example);
        assertEquals(example, MessageCodec.decode(json, LabeledExample.class));
        String text = new String(json, StandardCharsets.UTF_8);
        assertFalse(text.contains("prompt\""), "only promptSha256 and promptTokens may appear: " + text);
    }

    @Test
    void rejectedKeepsInvalidUtf8AsBase64AndValidTextAsText() {
        byte[] bad = {(byte) 0xC3, (byte) 0x28, 'a'};
        Rejected r = Rejected.of("x", "teacher", RejectReason.INVALID_UTF8, "not UTF-8", bad, Instant.EPOCH);
        assertEquals(Rejected.BASE64, r.encoding());
        assertArrayEquals(bad, r.payloadBytes());
        assertNull(Rejected.decodeUtf8(bad));

        Rejected ok = Rejected.of("y", "teacher", RejectReason.EMPTY_TEXT, "empty", "  ".getBytes(StandardCharsets.UTF_8),
                Instant.EPOCH);
        assertEquals(Rejected.UTF_8, ok.encoding());
        assertEquals("  ", ok.payload());
        assertEquals("empty-text", ok.reason());
    }

    @Test
    void malformedJsonIsAnIOExceptionNotACrash() {
        assertThrows(IOException.class, () -> MessageCodec.decode("{not json".getBytes(StandardCharsets.UTF_8), Query.class));
    }
}
