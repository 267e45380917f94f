package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.distillery.trainer.intake.Example;

/**
 * Consolidation rounds' batches: epochs over the replay buffer, each a fresh shuffled pass (deferrals weighted, see
 * {@link ReplayBuffer#epoch}), walked batch by batch across rounds.
 */
final class ReplayEpochs {

    private final ReplayBuffer replay;
    private List<Example> order = new ArrayList<>();
    private int cursor;

    ReplayEpochs(ReplayBuffer replay) {
        this.replay = replay;
    }

    List<Example> nextBatch(int size, Random random) {
        List<Example> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            if (cursor >= order.size()) {
                order = replay.epoch(random);
                cursor = 0;
            }
            batch.add(order.get(cursor++));
            if (batch.size() >= order.size() && cursor >= order.size()) {
                break; // a buffer smaller than a batch: one pass is the batch
            }
        }
        return batch;
    }

    /** The next batch starts a new epoch (new examples joined the buffer). */
    void restart() {
        cursor = order.size();
    }
}
