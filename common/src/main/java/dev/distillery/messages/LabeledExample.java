package dev.distillery.messages;

import java.time.Instant;
import java.util.Map;

/**
 * One distillation example: the query, the teacher's raw response and the label parsed from it.
 * The prompt P is never carried, only its sha256 (in {@link TeacherInfo}).
 *
 * @param distribution optional teacher distribution over labels (soft targets); null when the teacher gave one answer
 */
public record LabeledExample(
        int schema,
        String id,
        String text,
        String response,
        String label,
        TeacherInfo teacher,
        Usage usage,
        long latencyMs,
        Instant labeledAt,
        Map<String, Double> distribution) {

    public LabeledExample {
        distribution = distribution == null ? null : Map.copyOf(distribution);
    }

    public static LabeledExample of(String id, String text, String response, String label, TeacherInfo teacher,
            Usage usage, long latencyMs, Instant labeledAt) {
        return new LabeledExample(Schema.VERSION, id, text, response, label, teacher, usage, latencyMs, labeledAt, null);
    }

    /** Who labeled the example: teacher kind ({@code rules}, {@code openai}), model id, and sha256 of the prompt used. */
    public record TeacherInfo(String kind, String model, String promptSha256) {
    }

    /** Tokens the teacher reported (0 when it does not count tokens). */
    public record Usage(long promptTokens, long completionTokens) {
        public static final Usage NONE = new Usage(0, 0);
    }
}
