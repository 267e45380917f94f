package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.distillery.trainer.intake.Example;

/**
 * A bounded uniform sample of every training example seen so far (reservoir sampling, Vitter's algorithm R), replayed
 * beside new examples so the student does not forget earlier ones. Memory is bounded by the capacity whatever the
 * length of the stream. Examples that came from a student's deferral (the queries it was unsure of) are drawn
 * {@code deferralWeight} times as often as the others (active learning); they stay in the same reservoir. Not
 * thread-safe: owned by the training thread.
 */
public final class ReplayBuffer {

    private final int capacity;
    private final Random random;
    private final List<Example> examples;
    private final double deferralWeight;
    private long offered;

    public ReplayBuffer(int capacity, long seed) {
        this(capacity, seed, 1);
    }

    public ReplayBuffer(int capacity, long seed, double deferralWeight) {
        if (capacity < 0) {
            throw new IllegalArgumentException("replay capacity must be >= 0, got " + capacity);
        }
        if (!(deferralWeight >= 1)) {
            throw new IllegalArgumentException("deferral weight must be >= 1, got " + deferralWeight);
        }
        this.deferralWeight = deferralWeight;
        this.capacity = capacity;
        this.random = new Random(seed);
        this.examples = new ArrayList<>(Math.min(capacity, 1024));
    }

    public void add(Example example) {
        offered++;
        if (capacity == 0) {
            return;
        }
        if (examples.size() < capacity) {
            examples.add(example);
        } else {
            long slot = (long) (random.nextDouble() * offered);
            if (slot < capacity) {
                examples.set((int) slot, example);
            }
        }
    }

    /**
     * Up to {@code n} distinct examples; each is drawn with probability proportional to its weight (1, or the deferral
     * weight), without replacement.
     */
    public List<Example> sample(int n, Random rng) {
        if (deferralWeight > 1 && n < examples.size() && hasDeferrals()) {
            return weightedSample(n, rng);
        }
        return uniformSample(n, rng);
    }

    /**
     * The whole buffer in a random order for an epoch, each deferral example {@code round(deferralWeight)} times (so a
     * consolidation pass sees it that many times more often).
     */
    public List<Example> epoch(Random rng) {
        int repeat = (int) Math.max(1, Math.round(deferralWeight));
        List<Example> order = new ArrayList<>(examples.size());
        for (Example e : examples) {
            for (int i = e.deferral() ? repeat : 1; i > 0; i--) {
                order.add(e);
            }
        }
        java.util.Collections.shuffle(order, rng);
        return order;
    }

    private boolean hasDeferrals() {
        for (Example e : examples) {
            if (e.deferral()) {
                return true;
            }
        }
        return false;
    }

    /** Efraimidis-Spirakis: keep the n largest u^(1/w) keys. */
    private List<Example> weightedSample(int n, Random rng) {
        int size = examples.size();
        double[] keys = new double[size];
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            double w = examples.get(i).deferral() ? deferralWeight : 1;
            keys[i] = Math.pow(rng.nextDouble(), 1 / w);
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(examples.get(order[i]));
        }
        return out;
    }

    private List<Example> uniformSample(int n, Random rng) {
        int size = examples.size();
        int k = Math.min(n, size);
        List<Example> out = new ArrayList<>(k);
        if (k == 0) {
            return out;
        }
        if (k * 2 >= size) {
            List<Example> copy = new ArrayList<>(examples);
            java.util.Collections.shuffle(copy, rng);
            return new ArrayList<>(copy.subList(0, k));
        }
        java.util.Set<Integer> picked = new java.util.HashSet<>();
        while (out.size() < k) {
            int index = rng.nextInt(size);
            if (picked.add(index)) {
                out.add(examples.get(index));
            }
        }
        return out;
    }

    public int size() {
        return examples.size();
    }

    /** Deferral examples in the buffer now. */
    public int deferrals() {
        int count = 0;
        for (Example e : examples) {
            if (e.deferral()) {
                count++;
            }
        }
        return count;
    }

    public int capacity() {
        return capacity;
    }
}
