package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.distillery.trainer.intake.Example;

/**
 * A bounded uniform sample of every training example seen so far (reservoir sampling, Vitter's algorithm R), replayed
 * beside new examples so the student does not forget earlier ones. Memory is bounded by the capacity whatever the
 * length of the stream. Not thread-safe: owned by the training thread.
 */
public final class ReplayBuffer {

    private final int capacity;
    private final Random random;
    private final List<Example> examples;
    private long offered;

    public ReplayBuffer(int capacity, long seed) {
        if (capacity < 0) {
            throw new IllegalArgumentException("replay capacity must be >= 0, got " + capacity);
        }
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

    /** Up to {@code n} distinct examples drawn uniformly from the buffer. */
    public List<Example> sample(int n, Random rng) {
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

    public int capacity() {
        return capacity;
    }
}
