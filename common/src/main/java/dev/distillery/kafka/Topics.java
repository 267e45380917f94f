package dev.distillery.kafka;

/**
 * The four topics of the pipeline. These are defaults: every service maps its channels to
 * {@code distillery.topics.*} configuration keys (env {@code DISTILLERY_TOPICS_*}), which default to these names.
 */
public final class Topics {
    /** Raw queries from users: JSON {@link dev.distillery.messages.Query} or plain UTF-8 text. */
    public static final String QUERIES = "distill.queries";
    /** Teacher-labeled examples: the distillation dataset, keyed by query id. Kept long. */
    public static final String LABELED = "distill.labeled";
    /** Input that could not be processed, with the reason and the original payload. */
    public static final String REJECTED = "distill.rejected";
    /** Checkpoint announcements, compacted, keyed by task name. */
    public static final String CHECKPOINTS = "distill.checkpoints";

    private Topics() {
    }
}
