package dev.distillery.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in tokenizer of the embedded {@code tiny} base: the words of the text as hashed word tokens, then one
 * token per UTF-8 byte, after four special tokens. Bytes cover every script and diacritic without a vocabulary file;
 * hashed words (fastText-style buckets) let a small student learn function words, which a random byte encoder
 * cannot compose from so few examples.
 */
public final class ByteLevelTokenizer implements TextTokenizer {

    public static final int PAD = 0;
    public static final int CLS = 1;
    public static final int SEP = 2;
    public static final int UNK = 3;
    public static final int FIRST_BYTE = 4;
    public static final int FIRST_WORD = FIRST_BYTE + 256;
    public static final int WORD_BUCKETS = 4096;
    public static final int VOCAB_SIZE = FIRST_WORD + WORD_BUCKETS;
    /** Words beyond this many are not hashed (their bytes still are, up to the length limit). */
    static final int MAX_WORDS = 32;

    @Override
    public long[] encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]");
        }
        List<Integer> words = wordIds(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int room = maxLength - 2;
        int w = Math.min(words.size(), room);
        int n = Math.min(bytes.length, room - w);
        long[] ids = new long[w + n + 2];
        ids[0] = CLS;
        for (int i = 0; i < w; i++) {
            ids[i + 1] = words.get(i);
        }
        for (int i = 0; i < n; i++) {
            ids[w + i + 1] = FIRST_BYTE + (bytes[i] & 0xff);
        }
        ids[w + n + 1] = SEP;
        return ids;
    }

    @Override
    public int countTokens(String text) {
        return wordIds(text).size() + text.getBytes(StandardCharsets.UTF_8).length + 2;
    }

    @Override
    public long padId() {
        return PAD;
    }

    /** Maximal runs of letters (and marks, so decomposed diacritics stay in their word), lower-cased and hashed. */
    private static List<Integer> wordIds(String text) {
        List<Integer> ids = new ArrayList<>();
        int i = 0;
        while (i < text.length() && ids.size() < MAX_WORDS) {
            int start = i;
            while (i < text.length() && isWordChar(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i > start) {
                ids.add(wordToken(text.substring(start, i)));
            } else {
                i += Character.charCount(text.codePointAt(i));
            }
        }
        return ids;
    }

    private static boolean isWordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** The id of one word: its lower-cased form hashed into one of {@link #WORD_BUCKETS} buckets. */
    static int wordToken(String word) {
        return FIRST_WORD + bucket(word.toLowerCase(Locale.ROOT));
    }

    /** FNV-1a over the UTF-8 bytes: stable across JVMs and releases, unlike String.hashCode's contract. */
    private static int bucket(String word) {
        int h = 0x811c9dc5;
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return Math.floorMod(h, WORD_BUCKETS);
    }
}
