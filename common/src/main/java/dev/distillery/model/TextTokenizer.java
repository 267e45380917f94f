package dev.distillery.model;

/**
 * Text to token ids, with the model's special tokens ({@code [CLS] ... [SEP]} or the base's equivalent) already added.
 * Implementations are thread-safe.
 */
public interface TextTokenizer {

    /** Ids of the text, special tokens included, truncated to at most {@code maxLength} (keeping the final special). */
    long[] encode(String text, int maxLength);

    /**
     * The text as one or more windows of at most {@code windowLength} ids each (special tokens included in each), to be
     * read separately and pooled. By default one window, truncated: a base with learned positions reads what fits.
     */
    default java.util.List<long[]> encodeWindows(String text, int windowLength, int maxWindows) {
        return java.util.List.of(encode(text, windowLength));
    }

    /** Tokens of the text, special tokens included, without truncation. */
    int countTokens(String text);

    /** Id used to pad a batch; padded positions are masked out of attention and pooling. */
    long padId();

    /**
     * Whether {@link TokenDropout} may leave this id out of a training text. By default any id but padding (a
     * window's first and last ids, its special tokens, are never dropped whatever this says).
     */
    default boolean droppable(long id) {
        return id != padId();
    }

    /** Truncates keeping the last id (the closing special token) in place. */
    static long[] truncateKeepingLast(long[] ids, int maxLength) {
        if (ids.length <= maxLength) {
            return ids;
        }
        long[] out = new long[maxLength];
        System.arraycopy(ids, 0, out, 0, maxLength - 1);
        out[maxLength - 1] = ids[ids.length - 1];
        return out;
    }
}
