package dev.distillery.messages;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One distillation example: the query, the teacher's raw response and the label parsed from it.
 * The prompt P is never carried, only its sha256 (in {@link TeacherInfo}).
 *
 * @param distribution optional teacher distribution over labels (soft targets); null when the teacher gave one answer
 * @param origin       why the query was labeled: {@link #ORIGIN_DEFERRAL} when a student deferred it to the teacher (the
 *                     trainer gives those priority), null for the ordinary stream (records written before this field)
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
        Map<String, Double> distribution,
        @JsonInclude(JsonInclude.Include.NON_NULL) String origin) {

    /** A query the student was not sure of and deferred to the teacher (the cascade). */
    public static final String ORIGIN_DEFERRAL = "deferral";

    public LabeledExample {
        distribution = distribution == null ? null : Map.copyOf(distribution);
    }

    /** An example of the ordinary stream (no origin). */
    public LabeledExample(int schema, String id, String text, String response, String label, TeacherInfo teacher,
            Usage usage, long latencyMs, Instant labeledAt, Map<String, Double> distribution) {
        this(schema, id, text, response, label, teacher, usage, latencyMs, labeledAt, distribution, null);
    }

    /** The same example, marked with where it came from. */
    public LabeledExample withOrigin(String origin) {
        return new LabeledExample(schema, id, text, response, label, teacher, usage, latencyMs, labeledAt, distribution,
                origin);
    }

    /** Whether a student deferred this query to the teacher. */
    public boolean deferral() {
        return ORIGIN_DEFERRAL.equals(origin);
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
