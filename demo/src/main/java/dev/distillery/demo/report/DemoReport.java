package dev.distillery.demo.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.run.CascadeCheck;
import dev.distillery.demo.run.UnseenCheck;

/**
 * What {@code ./distillery demo} reports once the student serves a gated checkpoint. Written as JSON with
 * {@code --report FILE}; the field names are a contract for scripts.
 *
 * @param heldOutAgreement             student vs teacher on the trainer's held-out split, for the served checkpoint
 * @param heldOutExamples              size of the held-out split that figure was measured on (it grows over a run)
 * @param heldOutAgreementByLabel      per teacher label, for the served checkpoint (else the trainer's current model)
 * @param trainerHeldOutAgreement      the trainer's current model on its whole held-out split at the end of the run
 * @param promptTokensSavedPerRequest  tokens of the task prompt the student no longer needs per request
 * @param promptTokensSavedTotal       that times the labeled queries
 * @param firstQueryToCheckpointSeconds from the first query produced to the first gated checkpoint served
 * @param firstQueryToReportSeconds    from the first query produced to the final checkpoint served
 * @param unseenAgreement              student vs teacher on queries held back from the stream (see {@link UnseenCheck})
 * @param unseenQueries                how many of those both answered
 * @param heldOutAgreementByLength     the trainer's current model by length bucket, over its held-out queries and the
 *                                     longer texts joined from them ({@code heldOutExamplesByLength} of each)
 * @param unseenAgreementByLabel       the unseen-query agreement by the teacher's label
 * @param unseenAgreementByLength      the unseen-query agreement by length bucket
 * @param cascade                      the same queries through the cascade (see {@link CascadeCheck}); its fields are
 *                                     written at the top level ({@code cascadeCoverage}, {@code cascadeAgreement}, ...)
 */
@JsonPropertyOrder({"queries", "queriesSource", "labeled", "rejected", "checkpointsPublished", "checkpointVersion",
        "heldOutAgreement", "heldOutExamples", "heldOutAgreementByLabel", "trainerHeldOutAgreement",
        "trainerHeldOutExamples", "studentP50Ms", "studentP99Ms", "latencySamples",
        "promptTokensSavedPerRequest", "promptTokensSavedTotal", "firstQueryToCheckpointSeconds",
        "firstQueryToReportSeconds", "studentBase", "trainerDevice", "unseenAgreement", "unseenQueries",
        "heldOutAgreementByLength", "heldOutExamplesByLength", "unseenAgreementByLabel", "unseenAgreementByLength",

        "cascadeCoverage", "cascadeAgreement", "cascadeQueries", "teacherCallsSaved", "cascadePromptTokensSaved",
        "cascadeStudentAgreement", "cascadeScore", "cascadeThreshold", "cascadeCalibratedCoverage",
        "cascadeCoverageByLength", "cascadeAgreementByLength", "cascadeCoverageByQuarter"})
public record DemoReport(
        long queries,
        String queriesSource,
        long labeled,
        long rejected,
        long checkpointsPublished,
        long checkpointVersion,
        double heldOutAgreement,
        long heldOutExamples,
        Map<String, Double> heldOutAgreementByLabel,
        double trainerHeldOutAgreement,
        long trainerHeldOutExamples,
        double studentP50Ms,
        double studentP99Ms,
        int latencySamples,
        long promptTokensSavedPerRequest,
        long promptTokensSavedTotal,
        double firstQueryToCheckpointSeconds,
        double firstQueryToReportSeconds,
        String studentBase,
        String trainerDevice,
        double unseenAgreement,
        int unseenQueries,
        Map<String, Double> heldOutAgreementByLength,
        Map<String, Integer> heldOutExamplesByLength,
        Map<String, Double> unseenAgreementByLabel,
        Map<String, Double> unseenAgreementByLength,
        @JsonUnwrapped CascadeCheck.Result cascade) {

    public DemoReport {
        cascade = cascade == null ? CascadeCheck.Result.NONE : cascade;
        heldOutAgreementByLabel = heldOutAgreementByLabel == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(heldOutAgreementByLabel));
        heldOutAgreementByLength = ordered(heldOutAgreementByLength);
        heldOutExamplesByLength = ordered(heldOutExamplesByLength);
        unseenAgreementByLabel = unseenAgreementByLabel == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(unseenAgreementByLabel));
        unseenAgreementByLength = ordered(unseenAgreementByLength);
    }

    /** Without the by-length, unseen-by-label and cascade figures. */
    DemoReport(long queries, String queriesSource, long labeled, long rejected, long checkpointsPublished,
            long checkpointVersion, double heldOutAgreement, long heldOutExamples,
            Map<String, Double> heldOutAgreementByLabel, double trainerHeldOutAgreement, long trainerHeldOutExamples,
            double studentP50Ms, double studentP99Ms, int latencySamples, long promptTokensSavedPerRequest,
            long promptTokensSavedTotal, double firstQueryToCheckpointSeconds, double firstQueryToReportSeconds,
            String studentBase, String trainerDevice, double unseenAgreement, int unseenQueries) {
        this(queries, queriesSource, labeled, rejected, checkpointsPublished, checkpointVersion, heldOutAgreement,
                heldOutExamples, heldOutAgreementByLabel, trainerHeldOutAgreement, trainerHeldOutExamples,
                studentP50Ms, studentP99Ms, latencySamples, promptTokensSavedPerRequest, promptTokensSavedTotal,
                firstQueryToCheckpointSeconds, firstQueryToReportSeconds, studentBase, trainerDevice, unseenAgreement,
                unseenQueries, Map.of(), Map.of(), Map.of(), Map.of(), CascadeCheck.Result.NONE);
    }

    /** Length buckets keep their order (shortest first), which a sorted map would not. */
    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }

    public String toJson() {
        try {
            return HttpJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson() + System.lineSeparator());
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        String rule = "-".repeat(64);
        text.append(rule).append('\n');
        text.append("Distillery demo report\n");
        text.append(rule).append('\n');
        line(text, "queries streamed", queries + " (" + queriesSource + ")");
        line(text, "labeled by the teacher", String.valueOf(labeled));
        line(text, "rejected", String.valueOf(rejected));
        line(text, "checkpoints published", String.valueOf(checkpointsPublished));
        line(text, "student serves", "checkpoint v" + checkpointVersion + (studentBase == null ? "" : " on base " + studentBase));
        line(text, "held-out agreement", fmt("%.3f", heldOutAgreement) + " (student vs teacher"
                + (heldOutExamples > 0 ? ", on " + heldOutExamples + " held-out queries" : "") + ")");
        if (!heldOutAgreementByLabel.isEmpty()) {
            StringBuilder labels = new StringBuilder();
            int i = 0;
            for (Map.Entry<String, Double> e : heldOutAgreementByLabel.entrySet()) {
                if (i > 0) {
                    labels.append(i % 7 == 0 ? "\n" + " ".repeat(33) : "  ");
                }
                labels.append(e.getKey()).append(' ').append(e.getValue() == null ? "-" : fmt("%.2f", e.getValue()));
                i++;
            }
            line(text, "  per label", labels.toString());
        }
        if (!heldOutAgreementByLength.isEmpty()) {
            line(text, "  by length (chars)", EvalReport.figures(heldOutAgreementByLength) + "  [texts "
                    + heldOutExamplesByLength + "; trainer's latest model, joined held-out texts included]");
        }
        if (unseenQueries > 0) {
            line(text, "agreement on unseen queries", fmt("%.3f", unseenAgreement) + " (" + unseenQueries
                    + " queries never streamed; no checkpoint was chosen by them)");
            if (!unseenAgreementByLabel.isEmpty()) {
                line(text, "  per label", EvalReport.figures(unseenAgreementByLabel));
            }
            if (!unseenAgreementByLength.isEmpty()) {
                line(text, "  by length (chars)", EvalReport.figures(unseenAgreementByLength));
            }
        }
        CascadeSection.render(text, "cascade on unseen queries", cascade);
        if (!Double.isNaN(trainerHeldOutAgreement)) {
            line(text, "trainer's latest model", fmt("%.3f", trainerHeldOutAgreement) + " on all "
                    + trainerHeldOutExamples + " held-out queries");
        }
        line(text, "student latency", "p50 " + fmt("%.1f", studentP50Ms) + " ms, p99 " + fmt("%.1f", studentP99Ms)
                + " ms (" + latencySamples + " sequential /v1/classify calls)");
        line(text, "prompt tokens saved", promptTokensSavedPerRequest + " per request, " + promptTokensSavedTotal
                + " in total (x " + labeled + " labeled queries)");
        line(text, "first query -> first gated ckpt", fmt("%.1f", firstQueryToCheckpointSeconds) + " s");
        line(text, "first query -> this report", fmt("%.1f", firstQueryToReportSeconds) + " s");
        if (trainerDevice != null) {
            line(text, "trainer device", trainerDevice);
        }
        text.append(rule).append('\n');
        return text.toString();
    }

    /** A report line: the name in a column of 32, then the value (the layout of every text report here). */
    static void line(StringBuilder text, String name, String value) {
        text.append(String.format(Locale.ROOT, "%-32s %s%n", name, value));
    }

    /** The value in {@code format}, or {@code -} when it is unknown (NaN). */
    static String fmt(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
