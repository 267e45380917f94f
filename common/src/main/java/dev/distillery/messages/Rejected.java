package dev.distillery.messages;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Input a stage could not process. Nothing accepted is dropped silently: it lands here with the reason and the
 * original bytes, as text when they are valid UTF-8, else base64.
 *
 * @param stage    the stage that rejected it ({@code teacher}, {@code trainer}, ...)
 * @param reason   a stable machine-readable reason code, see {@link RejectReason}
 * @param detail   a human-readable explanation
 * @param payload  the original record value
 * @param encoding {@code utf-8} or {@code base64}: how {@code payload} is written
 */
public record Rejected(int schema, String id, String stage, String reason, String detail, String payload,
        String encoding, Instant at) {

    public static final String UTF_8 = "utf-8";
    public static final String BASE64 = "base64";

    public static Rejected of(String id, String stage, RejectReason reason, String detail, byte[] payload, Instant at) {
        String text = decodeUtf8(payload);
        return text != null
                ? new Rejected(Schema.VERSION, id, stage, reason.code(), detail, text, UTF_8, at)
                : new Rejected(Schema.VERSION, id, stage, reason.code(), detail,
                        Base64.getEncoder().encodeToString(payload), BASE64, at);
    }

    /** The original bytes, whatever the encoding the payload was written in. */
    public byte[] payloadBytes() {
        if (payload == null) {
            return new byte[0];
        }
        return BASE64.equals(encoding) ? Base64.getDecoder().decode(payload) : payload.getBytes(StandardCharsets.UTF_8);
    }

    /** Strict UTF-8 decoding: null when the bytes are not valid UTF-8 (no replacement characters). */
    public static String decodeUtf8(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
