package dev.distillery.demo.run;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.distillery.agreement.AgreementTally;

import dev.distillery.demo.process.HttpJson;

/**
 * Student vs teacher on queries the pipeline never saw. The trainer's held-out split is unseen by training too, but
 * the gate picks checkpoints by their score on it, so its figure is the best of many; these queries play no part in
 * any choice, so their agreement is the unbiased one.
 */
public final class UnseenCheck {

    /** One query in this many (after the shuffle) is held back from the stream. */
    static final int EVERY = 20;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** The queries to stream and those held back for the check. */
    public record Split(List<String> streamed, List<String> unseen) {
    }

    /**
     * @param agreement share of {@code compared} queries where the student's label is the teacher's (NaN when none)
     * @param compared  queries both answered; a query the teacher rejects has no label to agree with
     * @param byLabel   that share by the teacher's label
     * @param byLength  that share by length bucket
     */
    public record Result(double agreement, int compared, Map<String, Double> byLabel, Map<String, Double> byLength) {
        public static final Result NONE = new Result(Double.NaN, 0, Map.of(), Map.of());

        public Result(double agreement, int compared) {
            this(agreement, compared, Map.of(), Map.of());
        }
    }

    private UnseenCheck() {
    }

    public static Split split(List<String> queries) {
        List<String> streamed = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            (i % EVERY == EVERY - 1 ? unseen : streamed).add(queries.get(i));
        }
        return new Split(List.copyOf(streamed), List.copyOf(unseen));
    }

    public static Result measure(HttpJson http, String teacherUrl, String studentUrl, List<String> unseen)
            throws InterruptedException {
        AgreementTally tally = new AgreementTally();
        for (String text : unseen) {
            try {
                String teacher = http.post(teacherUrl + "/v1/label", Map.of("text", text), CALL_TIMEOUT)
                        .path("label").asText(null);
                // The student alone: under the cascade an unsure answer would be the teacher's.
                String student = http.post(studentUrl + "/v1/classify", Map.of("text", text, "policy", "student"),
                        CALL_TIMEOUT)
                        .path("label").asText(null);
                if (teacher != null && student != null) {
                    tally.add(text, teacher, student);
                }
            } catch (IOException e) {
                // A rejected query (HttpStatusException) or a failed call: nothing to compare.
            }
        }
        return tally.total() == 0 ? Result.NONE
                : new Result(tally.agreement(), tally.total(), tally.byLabel(), tally.byLength());
    }
}
