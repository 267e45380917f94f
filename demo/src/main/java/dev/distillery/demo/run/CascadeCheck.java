package dev.distillery.demo.run;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.agreement.AgreementTally;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.demo.process.HttpJson;

/**
 * The cascade on queries the pipeline never saw: each one goes, one by one, to the student's {@code /v1/classify}
 * with {@code "policy": "cascade"} (the student answers what it is sure of and defers the rest to the teacher, which
 * publishes the deferral for the trainer), and to the teacher's {@code /v1/label} for the reference. Coverage is the
 * share the student answered itself; agreement is the served answers' agreement with the teacher.
 */
public final class CascadeCheck {

    private CascadeCheck() {
    }

    /**
     * @param coverage           share of the queries the student answered itself ({@code answeredBy: student})
     * @param agreement          served answers (student's or teacher's) vs the teacher's reference
     * @param queries            queries both answered
     * @param teacherCallsSaved  queries the student answered without the teacher
     * @param promptTokensSaved  prompt tokens x those answers
     * @param studentAgreement   agreement of the student's own (confident) answers alone
     * @param threshold          the served checkpoint's threshold on {@code score} (null: none, everything defers)
     * @param calibratedCoverage coverage the trainer calibrated for the served checkpoint, per confidence score
     * @param coverageByLength   coverage by length bucket of the queries
     * @param agreementByLength  served agreement by length bucket
     * @param agreementByLabel   served agreement by the teacher's label
     * @param coverageByQuarter  coverage over each quarter of the queries in the order sent: deferred queries go to
     *                           the trainer, so with the pipeline running it grows as the student learns them
     */
    public record Result(
            @JsonProperty("cascadeCoverage") double coverage,
            @JsonProperty("cascadeAgreement") double agreement,
            @JsonProperty("cascadeQueries") int queries,
            @JsonProperty("teacherCallsSaved") long teacherCallsSaved,
            @JsonProperty("cascadePromptTokensSaved") long promptTokensSaved,
            @JsonProperty("cascadeStudentAgreement") double studentAgreement,
            @JsonProperty("cascadeScore") String score,
            @JsonProperty("cascadeThreshold") Double threshold,
            @JsonProperty("cascadeCalibratedCoverage") Map<String, Double> calibratedCoverage,
            @JsonProperty("cascadeCoverageByLength") Map<String, Double> coverageByLength,
            @JsonProperty("cascadeAgreementByLength") Map<String, Double> agreementByLength,
            @JsonProperty("cascadeAgreementByLabel") Map<String, Double> agreementByLabel,
            @JsonProperty("cascadeCoverageByQuarter") List<Double> coverageByQuarter) {

        public static final Result NONE = new Result(Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, null, null, Map.of(),
                Map.of(), Map.of(), Map.of(), List.of());

        public Result {
            calibratedCoverage = calibratedCoverage == null ? Map.of() : calibratedCoverage;
            coverageByLength = coverageByLength == null ? Map.of() : coverageByLength;
            agreementByLength = agreementByLength == null ? Map.of() : agreementByLength;
            agreementByLabel = agreementByLabel == null ? Map.of() : agreementByLabel;
            coverageByQuarter = coverageByQuarter == null ? List.of() : List.copyOf(coverageByQuarter);
        }
    }

    public static Result measure(HttpJson http, String teacherUrl, String studentUrl, List<String> queries)
            throws InterruptedException {
        return measure(http, teacherUrl, studentUrl, queries, Map.of());
    }

    /**
     * @param references the teacher's label of texts it was already asked about (an LLM teacher's calls cost): only
     *                   the others are asked for their reference
     */
    public static Result measure(HttpJson http, String teacherUrl, String studentUrl, List<String> queries,
            Map<String, String> references) throws InterruptedException {
        // Served answers against the teacher; coverage as "answered by the student" against "always"; and the
        // student's own answers alone, where it answered.
        AgreementTally servedTally = new AgreementTally();
        AgreementTally coverageTally = new AgreementTally();
        AgreementTally ownTally = new AgreementTally();
        List<Boolean> answeredByStudent = new ArrayList<>();
        for (String text : queries) {
            try {
                String reference = references.containsKey(text) ? references.get(text)
                        : http.post(teacherUrl + "/v1/label", Map.of("text", text), UnseenCheck.CALL_TIMEOUT)
                                .path("label").asText(null);
                JsonNode served = http.post(studentUrl + "/v1/classify", Map.of("text", text, "policy", "cascade"),
                        UnseenCheck.CALL_TIMEOUT);
                String label = served.path("label").asText(null);
                if (reference == null || label == null) {
                    continue;
                }
                boolean student = "student".equals(served.path("answeredBy").asText());
                servedTally.add(text, reference, label);
                coverageTally.add(text, "student", student ? "student" : "teacher");
                if (student) {
                    ownTally.add(text, reference, label);
                }
                answeredByStudent.add(student);
            } catch (IOException e) {
                // A query the teacher rejects has no reference; a failed call has nothing to compare.
            }
        }
        if (servedTally.total() == 0) {
            return Result.NONE;
        }
        JsonNode model = model(http, studentUrl);
        long promptTokens = model.path("promptTokens").asLong(0);
        JsonNode cascade = model.path("cascade");
        JsonNode metrics = model.path("checkpoint").path("metrics");
        Map<String, Double> calibrated = new LinkedHashMap<>();
        for (ConfidenceScore score : ConfidenceScore.values()) {
            JsonNode c = metrics.path("cascadeCoverage." + score.key());
            if (c.isNumber()) {
                calibrated.put(score.key(), c.asDouble());
            }
        }
        int byStudent = ownTally.total();
        return new Result(coverageTally.agreement(), servedTally.agreement(), servedTally.total(), byStudent,
                byStudent * promptTokens, ownTally.agreement(),
                cascade.path("score").asText(null),
                cascade.path("threshold").isNumber() ? cascade.get("threshold").asDouble() : null, calibrated,
                coverageTally.byLength(), servedTally.byLength(), servedTally.byLabel(), quarters(answeredByStudent));
    }

    /** Coverage over each quarter of the answers, in order (fewer parts when there are fewer than four answers). */
    static List<Double> quarters(List<Boolean> answeredByStudent) {
        int n = answeredByStudent.size();
        int parts = Math.min(4, n);
        List<Double> out = new ArrayList<>();
        for (int q = 0; q < parts; q++) {
            List<Boolean> part = answeredByStudent.subList(q * n / parts, (q + 1) * n / parts);
            out.add(part.stream().filter(b -> b).count() / (double) part.size());
        }
        return out;
    }

    private static JsonNode model(HttpJson http, String studentUrl) throws InterruptedException {
        try {
            return http.get(studentUrl + "/v1/model", Duration.ofSeconds(10));
        } catch (IOException e) {
            return HttpJson.mapper().createObjectNode();
        }
    }
}
