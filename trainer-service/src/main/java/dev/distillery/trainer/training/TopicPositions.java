package dev.distillery.trainer.training;

import java.util.HashMap;
import java.util.Map;

import dev.distillery.trainer.intake.IntakeItem;

/**
 * Where the labeled topic has been read to, per {@code topic-partition}, against the offsets the restored checkpoint
 * covers: records before those were trained on by it (replayed, not trained again), the rest are new.
 */
final class TopicPositions {

    private final Map<String, Long> resumeOffsets;
    private final Map<String, Long> next = new HashMap<>();

    /** @param resumeOffsets the next offset per partition the model's checkpoint covers (empty for a fresh model) */
    TopicPositions(Map<String, Long> resumeOffsets) {
        this.resumeOffsets = Map.copyOf(resumeOffsets);
    }

    void taken(IntakeItem item) {
        next.merge(item.partition(), item.offset() + 1, Math::max);
    }

    /** Whether the restored checkpoint already covers the record. */
    boolean covered(IntakeItem item) {
        return item.offset() < resumeOffsets.getOrDefault(item.partition(), 0L);
    }

    /** True once every partition's position reached the offsets the restored checkpoint covers. */
    boolean caughtUp() {
        for (Map.Entry<String, Long> e : resumeOffsets.entrySet()) {
            if (next.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Next offset per partition of everything taken so far: what a checkpoint written now covers. */
    Map<String, Long> covering() {
        Map<String, Long> covered = new HashMap<>(resumeOffsets);
        next.forEach((partition, offset) -> covered.merge(partition, offset, Math::max));
        return Map.copyOf(covered);
    }
}
