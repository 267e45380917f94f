package dev.distillery.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in tokenizer of the embedded {@code tiny} base. After {@code [CLS]} it emits, in this order: one hashed
 * token per word, one hashed token per character trigram of each word written {@code <word>} (fastText-style, the
 * markers making prefixes and suffixes distinct trigrams), then one token per UTF-8 byte, then {@code [SEP]}.
 * Truncation drops bytes first, then trigrams. Hashed words let a small student learn function words; trigrams carry
 * what a language's words have in common to words it never saw in training; bytes cover every script, diacritic and
 * punctuation mark without a vocabulary file.
 */
public final class ByteLevelTokenizer implements TextTokenizer {

    public static final int PAD = 0;
    public static final int CLS = 1;
    public static final int SEP = 2;
    public static final int UNK = 3;
    public static final int FIRST_BYTE = 4;
    public static final int FIRST_WORD = FIRST_BYTE + 256;
    public static final int WORD_BUCKETS = 4096;
    public static final int FIRST_TRIGRAM = FIRST_WORD + WORD_BUCKETS;
    public static final int TRIGRAM_BUCKETS = 8192;
    public static final int VOCAB_SIZE = FIRST_TRIGRAM + TRIGRAM_BUCKETS;
    /** Words beyond this many are not hashed, nor their trigrams (their bytes still are, up to the length limit). */
    static final int MAX_WORDS = 32;

    @Override
    public long[] encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]");
        }
        List<String> words = words(text);
        List<Integer> trigrams = trigramIds(words);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int room = maxLength - 2;
        int w = Math.min(words.size(), room);
        int g = Math.min(trigrams.size(), room - w);
        int n = Math.min(bytes.length, room - w - g);
        long[] ids = new long[w + g + n + 2];
        int k = 0;
        ids[k++] = CLS;
        for (int i = 0; i < w; i++) {
            ids[k++] = wordToken(words.get(i));
        }
        for (int i = 0; i < g; i++) {
            ids[k++] = trigrams.get(i);
        }
        for (int i = 0; i < n; i++) {
            ids[k++] = FIRST_BYTE + (bytes[i] & 0xff);
        }
        ids[k] = SEP;
        return ids;
    }

    @Override
    public int countTokens(String text) {
        List<String> words = words(text);
        return words.size() + trigramIds(words).size() + text.getBytes(StandardCharsets.UTF_8).length + 2;
    }

    @Override
    public long padId() {
        return PAD;
    }

    /** Maximal runs of letters (and marks, so decomposed diacritics stay in their word), lower-cased. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length() && words.size() < MAX_WORDS) {
            int start = i;
            while (i < text.length() && isWordChar(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i > start) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
            } else {
                i += Character.charCount(text.codePointAt(i));
            }
        }
        return words;
    }

    private static boolean isWordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** The trigrams of each word in code points, not bytes, so a trigram is three letters of any script. */
    private static List<Integer> trigramIds(List<String> words) {
        List<Integer> ids = new ArrayList<>();
        for (String word : words) {
            int[] marked = ("<" + word + ">").codePoints().toArray();
            for (int i = 0; i + 3 <= marked.length; i++) {
                ids.add(trigramToken(new String(marked, i, 3)));
            }
        }
        return ids;
    }

    /** The id of one word: its lower-cased form hashed into one of {@link #WORD_BUCKETS} buckets. */
    static int wordToken(String word) {
        return FIRST_WORD + bucket(word.toLowerCase(Locale.ROOT), WORD_BUCKETS);
    }

    /** The id of one trigram (markers included, e.g. {@code "<ab"}), hashed into {@link #TRIGRAM_BUCKETS} buckets. */
    static int trigramToken(String trigram) {
        return FIRST_TRIGRAM + bucket(trigram, TRIGRAM_BUCKETS);
    }

    /** FNV-1a over the UTF-8 bytes: stable across JVMs and releases, unlike String.hashCode's contract. */
    private static int bucket(String s, int buckets) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return Math.floorMod(h, buckets);
    }
}
