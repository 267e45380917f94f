package dev.distillery.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;

/**
 * Token dropout for training (the word dropout of Iyyer et al. 2015's deep averaging networks): each content token of
 * a training text is left out with probability {@code rate}, afresh at every step. Why: a mean-pooled student learns
 * to lean on the few tokens that settle its training texts (a frequent word's bucket), and on text it never saw those
 * are missing or, worse, hashed onto another word's bucket; reading random subsets makes it use every kind of
 * evidence (trigrams, letters) for every answer. Only tokens the tokenizer calls {@linkplain
 * TextTokenizer#droppable droppable} go, and never a window's first or last id (its special tokens); a window that
 * would lose all its droppable tokens is kept whole. Inference never drops anything.
 */
public final class TokenDropout {

    private TokenDropout() {
    }

    /**
     * @param windows   one text's windows of ids (not modified)
     * @param rate      probability of leaving out each droppable token, in [0, 1)
     * @param droppable which ids may be left out
     * @return the windows with the dropped tokens removed (the same list when {@code rate} is 0)
     */
    public static List<long[]> apply(List<long[]> windows, double rate, Random random, LongPredicate droppable) {
        if (requireRate(rate) == 0) {
            return windows;
        }
        List<long[]> out = new ArrayList<>(windows.size());
        for (long[] window : windows) {
            long[] kept = new long[window.length];
            int n = 0;
            int droppableKept = 0;
            for (int i = 0; i < window.length; i++) {
                long id = window[i];
                boolean inner = i > 0 && i < window.length - 1 && droppable.test(id);
                if (inner && random.nextDouble() < rate) {
                    continue;
                }
                droppableKept += inner ? 1 : 0;
                kept[n++] = id;
            }
            out.add(droppableKept == 0 ? window : Arrays.copyOf(kept, n));
        }
        return out;
    }

    /** The rule for a rate, in [0, 1): 1 would drop every token. Returns {@code rate}. */
    public static double requireRate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("token-dropout must be in [0, 1), got " + rate);
        }
        return rate;
    }
}
