package dev.distillery.model;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in tokenizer of the embedded {@code tiny} base. It walks the text once and, for each word (a maximal run
 * of letters and marks), emits one hashed token for the word, then for each of its letters the hashed character
 * trigram starting there (the word written {@code <word>}, fastText-style, so prefixes and suffixes are distinct
 * trigrams) followed, for a non-ASCII letter, by its lead UTF-8 byte and its letter id ({@link #FIRST_LETTER});
 * characters between words other than spaces add their bytes. Everything is lower-cased first, so
 * {@code THIS IS MY BOOK} reads as {@code this is my book}.
 * A word whose script (Unicode's, hashed) differs from the previous word's is preceded by a script token, and the text
 * opens with one shape token: its main script with how many words and letters it has, in buckets.
 *
 * <p>Why the two (issue 10: short texts and unseen characters): bytes name a script only through lead bytes shared by
 * thousands of characters, so a two-character Chinese text of characters never seen in training ({@code 谢谢}) had
 * little to go on; the script token says Han outright, whatever the characters. And the student pools by mean, which
 * makes it blind to length: a two-word Spanish greeting and a Spanish paragraph look alike, while a teacher may well
 * answer them differently (the rules teacher calls Latin text of fewer than three words "other"); the shape token
 * gives length back, with most weight in exactly the short texts where it matters.
 *
 * <p>Interleaving per word makes any contiguous run of tokens a contiguous span of the text with all three kinds of
 * evidence in it: hashed words let a small student learn function words; trigrams carry a language's spelling to
 * words it never saw; bytes carry the script (and every diacritic) without a vocabulary file. A long text is cut into
 * {@link #windows windows} of that run, each read whole, so no kind of token is ever dropped for length.
 */
public final class ByteLevelTokenizer implements TextTokenizer {

    public static final int PAD = 0;
    public static final int CLS = 1;
    public static final int SEP = 2;
    public static final int UNK = 3;
    public static final int FIRST_BYTE = 4;
    public static final int FIRST_WORD = FIRST_BYTE + 256;
    public static final int WORD_BUCKETS = 16384;
    public static final int FIRST_TRIGRAM = FIRST_WORD + WORD_BUCKETS;
    public static final int TRIGRAM_BUCKETS = 8192;
    public static final int FIRST_SCRIPT = FIRST_TRIGRAM + TRIGRAM_BUCKETS;
    /** Unicode scripts hashed by name: 128 buckets keep the scripts of the world's major writing systems apart. */
    public static final int SCRIPT_BUCKETS = 128;
    public static final int FIRST_SHAPE = FIRST_SCRIPT + SCRIPT_BUCKETS;
    /**
     * A text's shape: its main script with its word-count bucket (1, 2, 3, 4, 5, 6-9, 10+) and letter-count bucket
     * (under 8, 8-15, 16+), hashed: two Latin words and two Chinese characters are different shapes.
     */
    public static final int SHAPE_BUCKETS = 512;
    public static final int FIRST_LETTER = FIRST_SHAPE + SHAPE_BUCKETS;
    /**
     * A non-ASCII letter's first two UTF-8 bytes as one id, unhashed: lead bytes C2-F4 times the 64 continuation
     * bytes. For a two-byte letter (Latin diacritics, Greek, Cyrillic, Arabic, Hebrew...) that is the letter itself;
     * for a three-byte one, its block of 64 code points (Vietnamese's stacked vowels, a slice of Devanagari, Khmer,
     * CJK...).
     */
    public static final int LETTER_SLOTS = (0xF4 - 0xC2 + 1) * 64;
    public static final int VOCAB_SIZE = FIRST_LETTER + LETTER_SLOTS;
    /**
     * A text of fewer tokens is filled up to this many with copies of its shape token. Read as a multiset, a copy is
     * weight, not cost: a one-word text's shape then weighs about half of it instead of a twelfth, so the student
     * cannot overlook that the text is short where length decides the answer (the rules teacher's "under three Latin
     * words is ot"), while texts of this many tokens and more read as before. Measured (issue 11): without it the
     * most confident held-out errors were one- and two-word texts ({@code Günaydın!} tr at margin 0.9997, teacher
     * ot), so no cascade threshold existed; with it the first error came 300-600 answers down (common/MODEL.md).
     * 24 rather than 16 since revision 5: at 16 (a third of a one-word text) a frequent word with a bucket of its own
     * ({@code điều} in {@code Điều 1:}) outweighed the shape.
     */
    static final int SHAPE_FILL = 24;
    /**
     * What the tokenizer emits, versioned: part of the tiny base's sha256, so an adapter trained on other tokens for
     * the same ids is refused rather than silently misread. 2: text read in NFC; short texts filled with their shape.
     * 3: a letter's second byte is read paired with its lead byte ({@link #FIRST_LETTER}). 4: words hashed into
     * 16,384 buckets instead of 4,096. 5: short texts filled up to 24 tokens instead of 16.
     */
    static final int REVISION = 5;

    @Override
    public long[] encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]");
        }
        int[] body = body(text);
        return wrap(body, 0, Math.min(body.length, maxLength - 2));
    }

    /**
     * The whole text in contiguous windows of at most {@code windowLength - 2} <em>distinct</em> tokens each (plus
     * [CLS] and [SEP]): the tiny base has no positions, so a window is read as a multiset and costs its distinct
     * tokens ({@link WindowBatch}), however often each repeats. As few windows as that allows, of nearly equal token
     * counts so that no window is a short remainder; at most {@code maxWindows}, the text's end dropped beyond them.
     */
    @Override
    public List<long[]> encodeWindows(String text, int windowLength, int maxWindows) {
        if (windowLength < 3 || maxWindows < 1) {
            throw new IllegalArgumentException("a window needs room for [CLS], a token and [SEP]");
        }
        int[] body = body(text);
        int room = windowLength - 2;
        // Windows of at most `room` tokens always fit; the fewest windows that fit is what greedy cutting gives.
        int enough = Math.max(1, (body.length + room - 1) / room);
        int count = Math.min(enough, greedyWindows(body, room));
        while (count < enough && !equalPartsFit(body, count, room)) {
            count++;
        }
        int used = body.length;
        if (count > maxWindows) {
            count = maxWindows;
            used = Math.min(body.length, count * room);
        }
        List<long[]> windows = new ArrayList<>(count);
        for (int w = 0; w < count; w++) {
            windows.add(wrap(body, part(used, w, count), part(used, w + 1, count)));
        }
        return windows;
    }

    /** Start of part {@code w} of {@code count} nearly equal parts of {@code n} tokens. */
    private static int part(int n, int w, int count) {
        return (int) ((long) n * w / count);
    }

    /** Windows that cutting each as late as possible makes: the fewest that hold {@code room} distinct ids each. */
    private static int greedyWindows(int[] body, int room) {
        Stamps stamps = STAMPS.get();
        int[] stamp = stamps.seen;
        int base = stamps.reserve(body.length + 1); // at most one window per token
        int windows = 1;
        int distinct = 0;
        for (int id : body) {
            if (stamp[id] != base + windows) {
                if (distinct == room) {
                    windows++;
                    distinct = 0;
                }
                stamp[id] = base + windows;
                distinct++;
            }
        }
        return windows;
    }

    private static boolean equalPartsFit(int[] body, int count, int room) {
        Stamps stamps = STAMPS.get();
        int[] stamp = stamps.seen;
        int base = stamps.reserve(count + 1);
        for (int w = 0; w < count; w++) {
            int distinct = 0;
            for (int i = part(body.length, w, count); i < part(body.length, w + 1, count); i++) {
                if (stamp[body[i]] != base + w + 1) {
                    stamp[body[i]] = base + w + 1;
                    if (++distinct > room) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static final ThreadLocal<Stamps> STAMPS = ThreadLocal.withInitial(Stamps::new);

    /**
     * Per-thread marks for counting distinct ids, one per vocabulary id: each count takes a fresh range of stamp
     * values instead of a fresh zeroed array, since a 115 KB array per call was the tokenizer's main allocation (two
     * per text, ~140 MB/s of garbage at 600 texts/s).
     */
    private static final class Stamps {
        final int[] seen = new int[VOCAB_SIZE];
        private int next = 1;

        /** The base of {@code n} stamp values above every stamp already in {@link #seen}. */
        int reserve(int n) {
            if (next > Integer.MAX_VALUE - n - 1) {
                java.util.Arrays.fill(seen, 0);
                next = 1;
            }
            int base = next;
            next += n;
            return base;
        }
    }

    @Override
    public int countTokens(String text) {
        return body(text).length + 2;
    }

    @Override
    public long padId() {
        return PAD;
    }

    /**
     * Bytes, words and trigrams: the evidence. Script and shape tokens stay, since they say what kind of text it is
     * (and a short text's shape fill is its length), which dropping a few words does not change.
     */
    @Override
    public boolean droppable(long id) {
        return (id >= FIRST_BYTE && id < FIRST_SCRIPT) || id >= FIRST_LETTER;
    }

    private static long[] wrap(int[] body, int from, int to) {
        long[] ids = new long[to - from + 2];
        ids[0] = CLS;
        for (int i = from; i < to; i++) {
            ids[i - from + 1] = body[i];
        }
        ids[ids.length - 1] = SEP;
        return ids;
    }

    /** The text's tokens without specials, word by word. */
    private static int[] body(String text) {
        String lower = lower(text);
        IntList ids = new IntList(lower.length() * 3 + 1);
        int shape = shapeToken(lower);
        ids.add(shape);
        Character.UnicodeScript previous = null;
        int i = 0;
        while (i < lower.length()) {
            int cp = lower.codePointAt(i);
            if (!isWordChar(cp)) {
                if (!Character.isWhitespace(cp)) { // word tokens already mark where words start and end
                    addBytes(ids, cp);
                }
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < lower.length() && isWordChar(lower.codePointAt(i))) {
                i += Character.charCount(lower.codePointAt(i));
            }
            String word = lower.substring(start, i);
            Character.UnicodeScript script = scriptOf(word);
            if (script != previous) {
                ids.add(scriptToken(script));
                previous = script;
            }
            int[] marked = ("<" + word + ">").codePoints().toArray();
            // The word between its markers: the text is lower-cased (and in NFC) once, not each word again.
            ids.add(loweredWordToken(marked, 1, marked.length - 1));
            for (int j = 0; j + 3 <= marked.length; j++) {
                ids.add(trigramToken(marked, j));
                addLetter(ids, marked[j + 1]);
            }
        }
        for (int k = ids.size(); k < SHAPE_FILL; k++) {
            ids.add(shape);
        }
        return ids.toArray();
    }

    /** The script of a word's first letter that has one of its own (marks and shared characters have none). */
    private static Character.UnicodeScript scriptOf(String word) {
        for (int k = 0; k < word.length(); k += Character.charCount(word.codePointAt(k))) {
            Character.UnicodeScript script = Character.UnicodeScript.of(word.codePointAt(k));
            if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED) {
                return script;
            }
        }
        return Character.UnicodeScript.COMMON;
    }

    static int scriptToken(Character.UnicodeScript script) {
        return FIRST_SCRIPT + bucket(script.name(), SCRIPT_BUCKETS);
    }

    /**
     * The text's main script (of most of its letters) with its length in words and letters, bucketed: one token. The
     * script is part of it because length means different things in different scripts (two Latin words are a
     * greeting, two Chinese characters may be a whole sentence's worth).
     */
    static int shapeToken(String text) {
        int words = 0;
        int letters = 0;
        boolean inWord = false;
        java.util.Map<Character.UnicodeScript, Integer> scripts = new java.util.EnumMap<>(Character.UnicodeScript.class);
        for (int k = 0; k < text.length(); k += Character.charCount(text.codePointAt(k))) {
            int cp = text.codePointAt(k);
            boolean wordChar = isWordChar(cp);
            if (wordChar && !inWord) {
                words++;
            }
            if (Character.isLetter(cp)) {
                letters++;
                scripts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
            }
            inWord = wordChar;
        }
        Character.UnicodeScript main = scripts.entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                .map(java.util.Map.Entry::getKey).orElse(Character.UnicodeScript.COMMON);
        int wordBucket = words <= 5 ? Math.max(0, words - 1) : words < 10 ? 5 : 6;
        int letterBucket = letters < 8 ? 0 : letters < 16 ? 1 : 2;
        return FIRST_SHAPE + bucket(main.name() + ":" + wordBucket + ":" + letterBucket, SHAPE_BUCKETS);
    }

    /**
     * A letter inside a word: nothing for an ASCII letter (its trigrams spell it), else its lead byte (shared by its
     * script or block, so a letter never seen in training still names its script) and its {@link #FIRST_LETTER
     * letter id}. Why the pair: read as two separate bytes, a continuation byte means nothing on its own and is shared
     * across scripts (Khmer's E1 9F and Turkish ş's C5 9F share 9F, Khmer's E1 Vietnamese's), and Khmer UDHR
     * sentences came out `tr`.
     */
    private static void addLetter(IntList ids, int codePoint) {
        if (codePoint < 0x80) {
            return;
        }
        // UTF-8's first two bytes, computed rather than encoded: this runs for every letter of every request.
        int lead;
        int second;
        if (codePoint < 0x800) {
            lead = 0xC0 | codePoint >>> 6;
            second = codePoint & 0x3F;
        } else if (codePoint < 0x10000) {
            lead = 0xE0 | codePoint >>> 12;
            second = codePoint >>> 6 & 0x3F;
        } else {
            lead = 0xF0 | codePoint >>> 18;
            second = codePoint >>> 12 & 0x3F;
        }
        ids.add(FIRST_BYTE + lead);
        ids.add(FIRST_LETTER + (lead - 0xC2) * 64 + second);
    }

    /** The UTF-8 bytes of a character. */
    private static void addBytes(IntList ids, int codePoint) {
        byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < bytes.length; k++) {
            ids.add(FIRST_BYTE + (bytes[k] & 0xff));
        }
    }

    private static boolean isWordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /**
     * NFC, then root-locale lower case, except that Turkish dotted capital I becomes a plain i (not i + combining dot).
     * NFC because the same letter may come composed or decomposed (Vietnamese is often typed with combining tone
     * marks): decomposed, its bytes, trigrams and word ids would all be ones training never saw.
     */
    private static String lower(String text) {
        String composed = Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFC);
        return composed.replace('İ', 'i').toLowerCase(Locale.ROOT);
    }

    /** The id of one word: its lower-cased form hashed into one of {@link #WORD_BUCKETS} buckets. */
    static int wordToken(String word) {
        int[] codePoints = lower(word).codePoints().toArray();
        return loweredWordToken(codePoints, 0, codePoints.length);
    }

    /** The id of the lower-cased word spelled by the code points {@code from..to}. */
    private static int loweredWordToken(int[] codePoints, int from, int to) {
        return FIRST_WORD + bucket(codePoints, from, to, WORD_BUCKETS);
    }

    /** The id of one trigram (markers included, e.g. {@code "<ab"}), hashed into {@link #TRIGRAM_BUCKETS} buckets. */
    static int trigramToken(String trigram) {
        return trigramToken(trigram.codePoints().toArray(), 0);
    }

    /** The trigram of the code points {@code from..from+3}, without making a String of them (every letter has one). */
    private static int trigramToken(int[] codePoints, int from) {
        return FIRST_TRIGRAM + bucket(codePoints, from, from + 3, TRIGRAM_BUCKETS);
    }

    private static int bucket(String s, int buckets) {
        int[] codePoints = s.codePoints().toArray();
        return bucket(codePoints, 0, codePoints.length, buckets);
    }

    /**
     * FNV-1a over the UTF-8 bytes of the code points {@code from..to}, encoded as it goes (no byte array): stable
     * across JVMs and releases, unlike String.hashCode's contract. Hashed text is letters, marks and ASCII, never a
     * lone surrogate.
     */
    private static int bucket(int[] codePoints, int from, int to, int buckets) {
        int h = 0x811c9dc5;
        for (int k = from; k < to; k++) {
            int cp = codePoints[k];
            if (cp < 0x80) {
                h = fnv(h, cp);
            } else if (cp < 0x800) {
                h = fnv(fnv(h, 0xC0 | cp >>> 6), 0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                h = fnv(fnv(fnv(h, 0xE0 | cp >>> 12), 0x80 | cp >>> 6 & 0x3F), 0x80 | cp & 0x3F);
            } else {
                h = fnv(fnv(fnv(fnv(h, 0xF0 | cp >>> 18), 0x80 | cp >>> 12 & 0x3F), 0x80 | cp >>> 6 & 0x3F),
                        0x80 | cp & 0x3F);
            }
        }
        return Math.floorMod(h, buckets);
    }

    private static int fnv(int h, int octet) {
        return (h ^ octet) * 0x01000193;
    }

    /** A growable int array: a 4,000-character text makes ~16,000 ids, boxed Integers would be most of the cost. */
    private static final class IntList {
        private int[] data;
        private int size;

        IntList(int capacity) {
            data = new int[Math.max(8, capacity)];
        }

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
