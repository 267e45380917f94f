package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class BaseModelTest {

    /**
     * The embedded base is drawn from a fixed seed with Java's specified SplittableRandom, so every machine builds the
     * same weights. If this value changes, every adapter trained on tiny stops loading: change it deliberately.
     */
    private static final String TINY_SHA256 = "f68928eac5292568624a7ee2a2d29daebb9bc2e2ecbb44ec817bf430c51d0da3";

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
        // (260 bytes and specials + 4096 word + 8192 trigram buckets) x 128 + 128x128 positions + LN, then 2 layers of
        // 4 d x d + d x 512 + 512 x d (+ biases, LNs)
        assertEquals((260 + 4096 + 8192) * 128 + 128 * 128 + 2 * 128
                + 2 * (4 * (128 * 128 + 128) + 2 * 2 * 128 + 512 * 128 + 512 + 128 * 512 + 128), tiny.parameterCount());
    }

    @Test
    void byteLevelTokenizerAddsSpecialsWordsTrigramsThenBytesAndTruncates() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        int hi = ByteLevelTokenizer.wordToken("hi");
        assertEquals(hi, ByteLevelTokenizer.wordToken("HI"), "words are lower-cased before hashing");
        assertTrue(hi >= ByteLevelTokenizer.FIRST_WORD && hi < ByteLevelTokenizer.FIRST_TRIGRAM);
        int start = ByteLevelTokenizer.trigramToken("<hi");
        int end = ByteLevelTokenizer.trigramToken("hi>");
        assertTrue(start >= ByteLevelTokenizer.FIRST_TRIGRAM && start < ByteLevelTokenizer.VOCAB_SIZE);
        assertArrayEquals(new long[] {1, hi, start, end, 4 + 'H', 4 + 'i', 2}, t.encode("Hi", 128));
        assertArrayEquals(new long[] {1, ByteLevelTokenizer.wordToken("ü"), ByteLevelTokenizer.trigramToken("<ü>"),
                4 + 0xc3, 4 + 0xbc, 2}, t.encode("ü", 128));
        assertArrayEquals(new long[] {1, 4 + '4', 4 + '2', 2}, t.encode("42", 128), "no letters, no word or trigram");
        // Trigrams are of letters, whatever the script: a run of Han characters is one word of four trigrams.
        long[] han = t.encode("你好世界", 128);
        assertEquals(ByteLevelTokenizer.trigramToken("好世界"), han[4]);
        assertEquals(1 + 1 + 4 + 12 + 1, han.length);
        // Truncation drops bytes first, then trigrams, and keeps [SEP].
        assertArrayEquals(new long[] {1, ByteLevelTokenizer.wordToken("abc"), ByteLevelTokenizer.trigramToken("<ab"),
                ByteLevelTokenizer.trigramToken("abc"), 2}, t.encode("abc", 5));
        assertArrayEquals(new long[] {1, ByteLevelTokenizer.wordToken("abc"), 2}, t.encode("abc", 3));
        assertEquals(1 + 1 + 3 + 3 + 1, t.countTokens("abc"));
        for (String text : new String[] {"Hi", "你好世界", "Où est la gare ? 42", "Müde, sehr müde.", ""}) {
            assertEquals(t.countTokens(text), t.encode(text, Integer.MAX_VALUE).length, "countTokens matches " + text);
        }
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
