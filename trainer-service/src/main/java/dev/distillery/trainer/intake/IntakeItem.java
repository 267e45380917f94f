package dev.distillery.trainer.intake;

/**
 * One record of the labeled topic, handed from the consumer thread to the training thread in topic order. Invalid
 * records travel too (as {@link Skipped}) so the training thread's position covers them when it checkpoints.
 *
 * @param partition {@code topic-partition}, the key of the checkpoint manifest's offsets map
 */
public sealed interface IntakeItem {

    String partition();

    long offset();

    record Accepted(String partition, long offset, Example example) implements IntakeItem {
    }

    /** A record that went (or, before the checkpoint's offsets, had already gone) to the rejected topic. */
    record Skipped(String partition, long offset, String reason) implements IntakeItem {
    }
}
