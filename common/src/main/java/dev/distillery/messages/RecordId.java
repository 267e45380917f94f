package dev.distillery.messages;

import java.nio.charset.StandardCharsets;

import dev.distillery.integrity.Sha256;

/**
 * The id every record carries (JSON {@code id}, else the record key). Ids are at most {@value #MAX_LENGTH}
 * characters: a longer one is rejected ({@code id-too-long}), and the rejection itself is keyed by {@link #bounded},
 * so that no id can make an output record too large to publish.
 */
public final class RecordId {

    /** The documented maximum length of an id, in UTF-16 characters. */
    public static final int MAX_LENGTH = 256;
    private static final int KEPT_PREFIX = 64;

    private RecordId() {
    }

    public static boolean tooLong(String id) {
        return id != null && id.length() > MAX_LENGTH;
    }

    /**
     * The id itself when within the limit, else its first {@value #KEPT_PREFIX} characters, its length and a hash of
     * the whole: short, stable for the same id (so duplicates still key alike) and still recognisable.
     */
    public static String bounded(String id) {
        if (!tooLong(id)) {
            return id;
        }
        int end = KEPT_PREFIX;
        if (Character.isHighSurrogate(id.charAt(end - 1))) {
            end--;
        }
        String hash = Sha256.hex(id.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return id.substring(0, end) + "...(" + id.length() + " chars, sha256 " + hash + ")";
    }
}
