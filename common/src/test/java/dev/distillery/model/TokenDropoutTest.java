package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Token dropout: which ids may go, at about the rate asked, and never a window's specials or all its evidence. */
class TokenDropoutTest {

    private static final ByteLevelTokenizer TINY = new ByteLevelTokenizer();

    @Test
    void dropsAboutTheRateOfEvidenceAndKeepsSpecialsScriptAndShapeTokens() {
        String text = "Der schnelle braune Fuchs springt über den faulen Hund, und die Katze schaut ihm dabei zu.";
        List<long[]> windows = TINY.encodeWindows(text, 128, 256);
        long[] window = windows.get(0);
        long evidence = Arrays.stream(window).filter(TINY::droppable).count();
        Random random = new Random(1);
        long kept = 0;
        int draws = 400;
        for (int i = 0; i < draws; i++) {
            long[] out = TokenDropout.apply(windows, 0.2, random, TINY::droppable).get(0);
            assertEquals(window[0], out[0], "the opening special stays");
            assertEquals(window[window.length - 1], out[out.length - 1], "the closing special stays");
            assertArrayEquals(Arrays.stream(window).filter(id -> !TINY.droppable(id)).toArray(),
                    Arrays.stream(out).filter(id -> !TINY.droppable(id)).toArray(),
                    "script and shape tokens are never dropped");
            kept += Arrays.stream(out).filter(TINY::droppable).count();
        }
        double dropped = 1 - kept / (double) (evidence * draws);
        assertTrue(dropped > 0.18 && dropped < 0.22, "dropped share " + dropped);
    }

    @Test
    void rateZeroChangesNothingAndAWindowNeverLosesAllItsEvidence() {
        List<long[]> windows = TINY.encodeWindows("Hallo Welt, wie geht es dir?", 128, 256);
        assertSame(windows, TokenDropout.apply(windows, 0, new Random(1), TINY::droppable));
        // At a rate near 1 nearly every draw would empty the window: it is then kept whole.
        for (int seed = 0; seed < 50; seed++) {
            long[] out = TokenDropout.apply(windows, 0.999, new Random(seed), TINY::droppable).get(0);
            assertTrue(Arrays.stream(out).anyMatch(TINY::droppable), "some evidence is left");
        }
        for (double refused : new double[] {1, -0.1, Double.NaN}) {
            assertThrows(IllegalArgumentException.class,
                    () -> TokenDropout.apply(windows, refused, new Random(1), id -> true), "rate " + refused);
        }
    }

    @Test
    void byDefaultATokenizerMayDropAnythingButPadding() {
        TextTokenizer plain = new TextTokenizer() {
            @Override
            public long[] encode(String text, int maxLength) {
                return new long[] {101, 7, 8, 9, 102};
            }

            @Override
            public int countTokens(String text) {
                return 5;
            }

            @Override
            public long padId() {
                return 0;
            }
        };
        assertTrue(plain.droppable(7));
        assertTrue(!plain.droppable(0));
        long[] out = TokenDropout.apply(List.of(plain.encode("x", 5)), 0.5, new Random(3), plain::droppable).get(0);
        assertEquals(101, out[0]);
        assertEquals(102, out[out.length - 1]);
    }
}
