package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class BaseModelTest {

    /**
     * The embedded base is drawn from a fixed seed with Java's specified SplittableRandom, so every machine builds the
     * same weights. If this value changes, every adapter trained on tiny stops loading: change it deliberately.
     */
    private static final String TINY_SHA256 = "2e984cc795856a0dfa5b636c30f925fdd536111bdffc2f1582196fb36e3e3c3f";

    @Test
    void tinyIsTheSameEverywhere() {
        BaseModel tiny = BaseModel.tiny();
        assertSame(tiny, BaseModel.tiny());
        assertEquals("tiny", tiny.id());
        assertEquals(TINY_SHA256, tiny.sha256());
        try (BaseModel again = BaseModel.random("again", BertConfig.tiny(), BaseModel.TINY_SEED);
                BaseModel other = BaseModel.random("other", BertConfig.tiny(), 1)) {
            assertEquals(tiny.sha256(), again.sha256());
            assertNotEquals(tiny.sha256(), other.sha256());
        }
        assertEquals(126 + 2, tiny.maxLength());
        // (260 bytes and specials + 16384 word + 8192 trigram + 128 script + 512 shape buckets + 3264 letters) x 128
        // + 128x128 positions + LN, then 1 layer of 4 d x d + d x 512 + 512 x d (+ biases, LNs)
        assertEquals((260 + 16384 + 8192 + 128 + 512 + 3264) * 128 + 128 * 128 + 2 * 128
                + (4 * (128 * 128 + 128) + 2 * 2 * 128 + 512 * 128 + 512 + 128 * 512 + 128), tiny.parameterCount());
    }

    @Test
    void byteLevelTokenizerInterleavesEachWordsTokensAndLowerCases() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        int hi = ByteLevelTokenizer.wordToken("hi");
        assertEquals(hi, ByteLevelTokenizer.wordToken("HI"), "words are lower-cased before hashing");
        assertTrue(hi >= ByteLevelTokenizer.FIRST_WORD && hi < ByteLevelTokenizer.FIRST_TRIGRAM);
        int start = ByteLevelTokenizer.trigramToken("<hi");
        int end = ByteLevelTokenizer.trigramToken("hi>");
        assertTrue(start >= ByteLevelTokenizer.FIRST_TRIGRAM && start < ByteLevelTokenizer.FIRST_SCRIPT);
        int latin = ByteLevelTokenizer.scriptToken(Character.UnicodeScript.LATIN);
        int oneShortWord = ByteLevelTokenizer.shapeToken("hi");
        // The shape, the script, the word, then for each letter its trigram (and no byte: an ASCII letter is spelled by
        // its trigrams).
        assertArrayEquals(filled(1, oneShortWord, latin, hi, start, end, 2), t.encode("Hi", 128));
        assertArrayEquals(t.encode("hi", 128), t.encode("HI", 128), "case does not change the tokens");
        assertArrayEquals(filled(1, oneShortWord, latin, ByteLevelTokenizer.wordToken("ü"),
                ByteLevelTokenizer.trigramToken("<ü>"), 4 + 0xc3, letter(0xc3, 0xbc), 2), t.encode("Ü", 128),
                "a non-ASCII letter adds its lead byte and its letter id (its first two bytes together)");
        assertArrayEquals(filled(1, ByteLevelTokenizer.shapeToken(""), 4 + '4', 4 + '2', 2), t.encode("42", 128),
                "no letters, no word, script or trigram");
        assertArrayEquals(filled(1, oneShortWord, latin, hi, start, end, 4 + '!', 4 + '7', 2),
                t.encode("hi! 7", 128), "characters between words but spaces add their bytes in place");
        // Trigrams are of letters, whatever the script: a run of Han characters is one word of four trigrams, each
        // followed by its letter's lead byte and the id of its first two bytes (its block of 64 code points).
        long[] han = t.encode("你好世界", 128);
        assertEquals(ByteLevelTokenizer.scriptToken(Character.UnicodeScript.HAN), han[2]);
        assertEquals(ByteLevelTokenizer.trigramToken("<你好"), han[4]);
        assertEquals(4 + 0xe4, han[5]);
        assertEquals(letter(0xe4, 0xbd), han[6], "你 is E4 BD A0");
        assertEquals(ByteLevelTokenizer.trigramToken("好世界"), han[4 + 2 * 3]);
        assertEquals(1 + ByteLevelTokenizer.SHAPE_FILL + 1, han.length, "3 + 4 * 3 tokens, filled up to SHAPE_FILL");
        // Truncation keeps the start of the text and [SEP].
        assertArrayEquals(new long[] {1, ByteLevelTokenizer.shapeToken("abcd"), latin,
                ByteLevelTokenizer.wordToken("abcd"), 2}, t.encode("abcd", 5));
        assertEquals(1 + ByteLevelTokenizer.SHAPE_FILL + 1, t.countTokens("abc"), "a short text is filled");
        long[] sentence = t.encode("Où est la gare ? Elle est près du port.", Integer.MAX_VALUE);
        assertEquals(1, java.util.Arrays.stream(sentence).filter(id -> id == sentence[1]).count(),
                "a text of SHAPE_FILL tokens and more has its shape once");
        for (String text : new String[] {"Hi", "你好世界", "Où est la gare ? 42", "Müde, sehr müde.", ""}) {
            assertEquals(t.countTokens(text), t.encode(text, Integer.MAX_VALUE).length, "countTokens matches " + text);
        }
    }

    /** The letter id of a character whose UTF-8 bytes start with {@code lead} and {@code second}. */
    private static long letter(int lead, int second) {
        return ByteLevelTokenizer.FIRST_LETTER + (lead - 0xc2) * 64 + (second - 0x80);
    }

    @Test
    void lettersOfDifferentScriptsThatShareAByteHaveDifferentLetterIds() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        // Khmer ស is E1 9E 9F, Turkish ş is C5 9F: read byte by byte they shared 9F; Vietnamese ạ is E1 BA A1.
        long[] khmer = t.encode("ស", 128);
        long[] turkish = t.encode("ş", 128);
        long[] vietnamese = t.encode("ạ", 128);
        assertEquals(letter(0xe1, 0x9e), khmer[6]);
        assertEquals(letter(0xc5, 0x9f), turkish[6]);
        assertEquals(letter(0xe1, 0xba), vietnamese[6]);
        assertEquals(khmer[5], vietnamese[5], "the lead byte still says both are three-byte letters of block E1");
        for (long[] ids : new long[][] {khmer, turkish, vietnamese}) {
            assertTrue(ids[6] >= ByteLevelTokenizer.FIRST_LETTER && ids[6] < ByteLevelTokenizer.VOCAB_SIZE);
        }
        // A four-byte letter (U+20000, F0 A0 80 80) and the highest lead and continuation bytes still fit.
        assertEquals(letter(0xf0, 0xa0), t.encode("\uD840\uDC00", 128)[6]);
        assertEquals(ByteLevelTokenizer.VOCAB_SIZE - 1, letter(0xf4, 0xbf));
        // The ids are UTF-8's first two bytes, whatever the plane: every letter of the BMP and of plane 2's start.
        for (int cp = 0x80; cp < 0x20100; cp++) {
            String text = new String(Character.toChars(cp));
            if (Character.isLetter(cp) && text.toLowerCase(java.util.Locale.ROOT).equals(text)
                    && java.text.Normalizer.isNormalized(text, java.text.Normalizer.Form.NFC)) {
                byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long[] ids = t.encode(text, 128);
                String where = "U+" + Integer.toHexString(cp);
                assertEquals(4 + (utf8[0] & 0xff), ids[5], "lead byte of " + where);
                assertEquals(letter(utf8[0] & 0xff, utf8[1] & 0xff), ids[6], "letter id of " + where);
            }
        }
    }

    @Test
    void aOneWordHeadingWeighsAtLeastHalfItsShape() {
        // Revision 5: at a third of the weight, a frequent word with a word bucket of its own outweighed the shape of a
        // one-word text (UDHR's "Điều 1:" answered vi at high margin; the rules teacher says ot, one Latin word).
        long[] ids = new ByteLevelTokenizer().encode("Điều 1:", 128);
        long shape = ids[1];
        assertEquals(ByteLevelTokenizer.shapeToken("Điều 1:"), shape);
        long copies = java.util.Arrays.stream(ids).filter(id -> id == shape).count();
        int content = ids.length - 2;
        assertTrue(2 * copies >= content, copies + " copies of the shape among " + content + " tokens");
    }

    /** The expected ids of a short text: its shape token (the second id) repeated up to the fill, before [SEP]. */
    private static long[] filled(long... ids) {
        long[] out = java.util.Arrays.copyOf(ids, Math.max(ids.length, ByteLevelTokenizer.SHAPE_FILL + 2));
        for (int k = ids.length - 1; k < out.length - 1; k++) {
            out[k] = ids[1];
        }
        out[out.length - 1] = ids[ids.length - 1];
        return out;
    }

    @Test
    void decomposedTextReadsAsItsComposedForm() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        String composed = "Mọi người sinh ra đều được tự do và bình đẳng về nhân phẩm và quyền lợi.";
        String decomposed = java.text.Normalizer.normalize(composed, java.text.Normalizer.Form.NFD);
        assertNotEquals(composed, decomposed, "the sample must have combining marks to decompose");
        assertArrayEquals(t.encode(composed, Integer.MAX_VALUE), t.encode(decomposed, Integer.MAX_VALUE),
                "Vietnamese typed with combining tone marks is the same text to the student");
    }

    @Test
    void aScriptTokenMarksEachChangeOfScriptAndTheShapeTokenBucketsWordsAndLetters() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        int latin = ByteLevelTokenizer.scriptToken(Character.UnicodeScript.LATIN);
        int greek = ByteLevelTokenizer.scriptToken(Character.UnicodeScript.GREEK);
        long[] ids = t.encode("ich sage καλημέρα und καλή νύχτα", 256);
        assertEquals(List.of(latin, greek, latin, greek), java.util.Arrays.stream(ids)
                .filter(id -> id >= ByteLevelTokenizer.FIRST_SCRIPT && id < ByteLevelTokenizer.FIRST_SHAPE)
                .mapToObj(id -> (int) id).toList(), "one script token per run of words in one script");
        // The scripts the rules teacher tells apart, and the ones it calls other, are all distinct tokens.
        java.util.Set<Integer> scripts = new java.util.HashSet<>();
        for (String name : new String[] {"LATIN", "GREEK", "CYRILLIC", "ARABIC", "DEVANAGARI", "HAN", "HIRAGANA",
                "KATAKANA", "HANGUL", "THAI", "HEBREW", "GEORGIAN", "ARMENIAN", "ETHIOPIC", "BENGALI", "TAMIL"}) {
            assertTrue(scripts.add(ByteLevelTokenizer.scriptToken(Character.UnicodeScript.valueOf(name))), name);
        }
        // Shape: the main script with words 1, 2, 3, 4, 5, 6-9, 10+ and letters under 8, 8-15, 16+.
        assertNotEquals(ByteLevelTokenizer.shapeToken("谢谢"), ByteLevelTokenizer.shapeToken("hi"));
        assertNotEquals(ByteLevelTokenizer.shapeToken("hola amigo"), ByteLevelTokenizer.shapeToken("hola mi amigo"));
        assertNotEquals(ByteLevelTokenizer.shapeToken("yo soy"), ByteLevelTokenizer.shapeToken("nosotros somos"));
        assertEquals(ByteLevelTokenizer.shapeToken("a b c d e f g h i j k"), ByteLevelTokenizer.shapeToken(
                "a b c d e f g h i j k l m n o"), "ten words or more, under 16 letters");
        assertEquals(ids[1], ByteLevelTokenizer.shapeToken("ich sage καλημέρα und καλή νύχτα"));
        assertTrue(ids[1] >= ByteLevelTokenizer.FIRST_SHAPE && ids[1] < ByteLevelTokenizer.FIRST_LETTER);
    }

    @Test
    void windowsCoverTheWholeTextInNearlyEqualContiguousPartsOfBoundedDistinctTokens() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        String text = distinctWords(300); // 1,499 chars of made-up words: few tokens repeat
        long[] whole = t.encode(text, Integer.MAX_VALUE);
        int body = whole.length - 2;
        java.util.List<long[]> windows = t.encodeWindows(text, 128, 256);
        long distinctInText = java.util.Arrays.stream(whole).distinct().count() - 2;
        assertTrue(windows.size() >= (distinctInText + 125) / 126, "no window holds more than 126 distinct tokens");
        assertTrue(windows.size() < (body + 125) / 126, "repeats within a window cost no window: "
                + windows.size() + " windows");
        java.util.List<Long> joined = new java.util.ArrayList<>();
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (long[] w : windows) {
            assertTrue(java.util.Arrays.stream(w).distinct().count() <= 128);
            assertEquals(1, w[0]);
            assertEquals(2, w[w.length - 1]);
            smallest = Math.min(smallest, w.length);
            largest = Math.max(largest, w.length);
            for (int i = 1; i < w.length - 1; i++) {
                joined.add(w[i]);
            }
        }
        assertTrue(largest - smallest <= 1, "windows of nearly equal size, not a short remainder");
        assertEquals(body, joined.size(), "every token is in exactly one window");
        for (int i = 0; i < body; i++) {
            assertEquals(whole[i + 1], joined.get(i));
        }
        String repeated = "Der Hund läuft schnell über die Straße, und die Katze schläft. ".repeat(12); // ~760 chars
        assertEquals(1, t.encodeWindows(repeated, 128, 256).size(), "one sentence repeated is one window");
        assertArrayEquals(t.encode(repeated, Integer.MAX_VALUE), t.encodeWindows(repeated, 128, 256).get(0));
        assertEquals(1, t.encodeWindows("short text", 128, 256).size(), "a short text is one window");
        assertArrayEquals(t.encode("short text", 128), t.encodeWindows("short text", 128, 256).get(0));
        assertEquals(1, t.encodeWindows("", 128, 256).size());
        java.util.List<long[]> three = t.encodeWindows(text, 128, 3);
        assertEquals(3, three.size(), "at most maxWindows");
        assertEquals(3 * 126, three.stream().mapToInt(w -> w.length - 2).sum(), "the text's end dropped beyond them");
    }

    @Test
    void wordAndTrigramIdsStayWhatEarlierRevisionsHashedThemTo() {
        // FNV-1a of the UTF-8 bytes, pinned for one-, two-, three- and four-byte characters: ids that moved would
        // misread every adapter trained before (values from the String.getBytes hashing of revision 5).
        assertEquals(17412, ByteLevelTokenizer.trigramToken("<hi"));
        assertEquals(23658, ByteLevelTokenizer.trigramToken("<ü>"));
        assertEquals(19837, ByteLevelTokenizer.trigramToken("<你好"));
        assertEquals(17180, ByteLevelTokenizer.trigramToken("好世界"));
        assertEquals(24115, ByteLevelTokenizer.trigramToken("😀a>"));
        assertEquals(14238, ByteLevelTokenizer.wordToken("hi"));
        assertEquals(14620, ByteLevelTokenizer.wordToken("straße"));
        assertEquals(6926, ByteLevelTokenizer.wordToken("καλημέρα"));
        assertEquals(3497, ByteLevelTokenizer.wordToken("𠀀"));
    }

    @Test
    void windowsDoNotDependOnWhatTheThreadTokenizedBefore() throws Exception {
        // The distinct-token counts reuse per-thread marks: a text must cut the same after any other texts.
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        String text = distinctWords(300);
        java.util.concurrent.atomic.AtomicReference<java.util.List<long[]>> fresh =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread first = Thread.ofPlatform().start(() -> fresh.set(t.encodeWindows(text, 128, 256)));
        first.join();
        for (int i = 0; i < 50; i++) {
            t.encodeWindows(distinctWords(20 + 7 * i), 128, 256);
            t.encodeWindows("Der Hund läuft schnell über die Straße. ".repeat(i % 9 + 1), 64, 256);
        }
        java.util.List<long[]> after = t.encodeWindows(text, 128, 256);
        assertEquals(fresh.get().size(), after.size());
        for (int w = 0; w < after.size(); w++) {
            assertArrayEquals(fresh.get().get(w), after.get(w), "window " + w);
        }
    }

    /** {@code n} different made-up words: text whose tokens mostly do not repeat. */
    static String distinctWords(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(b.length() == 0 ? "" : " ").append("w");
            for (int v = i + 17 * 17; v > 0; v /= 17) {
                b.append((char) ('a' + v % 17));
            }
        }
        return b.toString();
    }

    @Test
    void resolveNamesTinyOrADirectory() throws IOException {
        assertSame(BaseModel.tiny(), BaseModel.resolve("tiny"));
        assertSame(BaseModel.tiny(), BaseModel.resolve(""));
        assertThrows(IOException.class, () -> BaseModel.resolve(Path.of("does-not-exist").toString()));
    }

    @Test
    void devicesResolve() {
        assertEquals("cpu()", Devices.resolve("cpu").toString());
        assertThrows(IllegalArgumentException.class, () -> Devices.resolve("tpu"));
    }
}
