package dev.distillery.model;

import java.util.Arrays;
import java.util.List;

/**
 * The windows of several texts laid out as one forward pass reads them: ids [W, T] padded to the longest window,
 * each token's weight [W, T] (0 for padding), and the pooling matrix [n, W] that makes each text's vector the mean of
 * its windows' vectors weighted by their token counts (the mean over all its tokens, as if read in one piece).
 *
 * <p>For a position-free base each window is read as a multiset: a token that occurs c times in a window is one
 * column of weight c ({@link TransformerEncoder} makes that exact). On the tiny base that drops a third of the
 * columns: the UTF-8 lead bytes of a script and the frequent words and trigrams repeat within a window.
 *
 * @param texts   n
 * @param windows W
 * @param length  T
 */
record WindowBatch(long[] ids, float[] weights, float[] pooling, int texts, int windows, int length) {

    /**
     * @param encoded  each text's windows of ids, special tokens included
     * @param collapse read each window as a multiset (only exact for a position-free base)
     */
    static WindowBatch of(List<List<long[]>> encoded, long pad, boolean collapse) {
        int n = encoded.size();
        int w = 0;
        for (List<long[]> text : encoded) {
            w += text.size();
        }
        long[][] columns = new long[w][];
        float[][] counts = new float[w][];
        int k = 0;
        int t = 1;
        for (List<long[]> text : encoded) {
            for (long[] window : text) {
                if (collapse) {
                    collapse(window, columns, counts, k);
                } else {
                    columns[k] = window;
                    counts[k] = new float[window.length];
                    Arrays.fill(counts[k], 1f);
                }
                t = Math.max(t, columns[k].length);
                k++;
            }
        }
        long[] ids = new long[w * t];
        float[] weights = new float[w * t];
        float[] pooling = new float[n * w];
        Arrays.fill(ids, pad);
        k = 0;
        for (int i = 0; i < n; i++) {
            int total = 0;
            for (long[] window : encoded.get(i)) {
                total += window.length;
            }
            for (long[] window : encoded.get(i)) {
                System.arraycopy(columns[k], 0, ids, k * t, columns[k].length);
                System.arraycopy(counts[k], 0, weights, k * t, counts[k].length);
                pooling[i * w + k] = window.length / (float) total;
                k++;
            }
        }
        return new WindowBatch(ids, weights, pooling, n, w, t);
    }

    /** The distinct ids of a window in order of first occurrence, and how often each occurs. */
    private static void collapse(long[] window, long[][] columns, float[][] counts, int k) {
        // Open addressing over the window's ids: slot -> column + 1 (0 = empty).
        int size = Integer.highestOneBit(Math.max(4, window.length * 2) - 1) << 1;
        int[] slots = new int[size];
        long[] distinct = new long[window.length];
        float[] count = new float[window.length];
        int d = 0;
        for (long id : window) {
            int s = (int) (id * 0x9E3779B97F4A7C15L >>> 40) & (size - 1);
            while (slots[s] != 0 && distinct[slots[s] - 1] != id) {
                s = (s + 1) & (size - 1);
            }
            if (slots[s] == 0) {
                distinct[d] = id;
                slots[s] = ++d;
            }
            count[slots[s] - 1]++;
        }
        columns[k] = Arrays.copyOf(distinct, d);
        counts[k] = Arrays.copyOf(count, d);
    }
}
