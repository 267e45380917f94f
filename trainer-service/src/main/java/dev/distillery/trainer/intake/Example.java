package dev.distillery.trainer.intake;

/**
 * A validated distillation example as the trainer uses it.
 *
 * @param label    the teacher's label (what held-out agreement is measured against)
 * @param target   the training target over the task's labels: one-hot, or the teacher's distribution
 * @param response the teacher's answer text, for the chat-format dataset
 * @param deferral whether a student deferred the query to the teacher (replayed with priority)
 */
public record Example(String id, String text, String label, float[] target, String response, boolean deferral) {

    /** An example of the ordinary stream. */
    public Example(String id, String text, String label, float[] target, String response) {
        this(id, text, label, target, response, false);
    }
}
