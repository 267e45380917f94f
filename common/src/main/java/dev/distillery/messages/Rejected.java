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
    /**
     * Original bytes kept in a rejection, at most. Even when every kept byte is a control character that JSON
     * escapes as six bytes, the record stays under the broker's default 1 MB limit: a rejection that cannot be
     * published would stop its consumer on that record forever.
     */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** Longest detail kept, in characters (details may quote a teacher's response). */
    public static final int MAX_DETAIL_CHARS = 2000;

    /**
     * A rejection with bounded size whatever the input: the id is {@linkplain RecordId#bounded bounded}, the detail
     * cut at {@value #MAX_DETAIL_CHARS} characters, the payload at {@value #MAX_PAYLOAD_BYTES} bytes (on a UTF-8
     * character boundary, and the detail says so).
     */
    public static Rejected of(String id, String stage, RejectReason reason, String detail, byte[] payload, Instant at) {
        return of(id, stage, reason, detail, payload, at, MAX_PAYLOAD_BYTES);
    }

    /** As {@link #of(String, String, RejectReason, String, byte[], Instant)} with a smaller payload bound. */
    public static Rejected of(String id, String stage, RejectReason reason, String detail, byte[] payload, Instant at,
            int maxPayloadBytes) {
        String boundedDetail = detail == null || detail.length() <= MAX_DETAIL_CHARS ? detail
                : detail.substring(0, MAX_DETAIL_CHARS) + "... (detail cut at " + MAX_DETAIL_CHARS + " characters)";
        if (payload != null && payload.length > maxPayloadBytes) {
            int cut = maxPayloadBytes;
            while (cut > 0 && cut > maxPayloadBytes - 4 && (payload[cut] & 0xC0) == 0x80) {
                cut--; // not inside a UTF-8 sequence, so valid text stays text
            }
            boundedDetail = (boundedDetail == null ? "" : boundedDetail) + " (payload truncated to its first " + cut + " of " + payload.length + " bytes)";
            payload = java.util.Arrays.copyOf(payload, cut);
        }
        return unbounded(RecordId.bounded(id), stage, reason, boundedDetail, payload, at);
    }

    private static Rejected unbounded(String id, String stage, RejectReason reason, String detail, byte[] payload,
            Instant at) {
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
