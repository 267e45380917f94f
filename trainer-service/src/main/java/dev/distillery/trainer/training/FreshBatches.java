package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.distillery.trainer.intake.Example;

/**
 * A new round's batches: the waiting examples, walked in a shuffled order (reshuffled at each wrap), each batch topped
 * up from the replay buffer to {@code replayFraction} of its size.
 */
final class FreshBatches {

    private final List<Example> fresh;
    private final ReplayBuffer replay;
    private final int stepBatch;
    private final double replayFraction;
    private final Random random;
    private int cursor;
    private int replayed;

    /** Shuffles {@code fresh} (a copy the caller hands over) with {@code random}. */
    FreshBatches(List<Example> fresh, ReplayBuffer replay, int stepBatch, double replayFraction, Random random) {
        this.fresh = fresh;
        this.replay = replay;
        this.stepBatch = stepBatch;
        this.replayFraction = replayFraction;
        this.random = random;
        Collections.shuffle(fresh, random);
    }

    List<Example> next() {
        int wantReplay = replay.size() == 0 ? 0 : (int) Math.round(stepBatch * replayFraction);
        int newCount = Math.max(1, Math.min(stepBatch - wantReplay, fresh.size()));
        List<Example> batch = new ArrayList<>(stepBatch);
        for (int i = 0; i < newCount; i++) {
            batch.add(fresh.get(cursor));
            cursor = (cursor + 1) % fresh.size();
            if (cursor == 0) {
                Collections.shuffle(fresh, random);
            }
        }
        List<Example> fromReplay = replay.sample(stepBatch - batch.size(), random);
        replayed += fromReplay.size();
        batch.addAll(fromReplay);
        return batch;
    }

    /** Replayed example slots over the batches so far. */
    int replayed() {
        return replayed;
    }
}
