package dev.distillery.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.Clock;
import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.process.Pipeline;
import dev.distillery.demo.process.RunDirectory;
import dev.distillery.demo.process.ServiceProcess;
import dev.distillery.demo.report.DemoReport;
import dev.distillery.demo.run.CascadeCheck;
import dev.distillery.demo.run.DistillationRun;
import dev.distillery.demo.run.LatencyProbe;
import dev.distillery.demo.run.PipelineStatus;
import dev.distillery.demo.run.QuerySource;
import dev.distillery.demo.run.UnseenCheck;

/** {@code ./distillery demo}: the main job in one command, with a report. */
final class DemoCommand {

    static final int LATENCY_WARMUP = 20;
    static final int LATENCY_SAMPLES = 200;
    /** Checkpoint metrics carry per-label agreement as {@code heldOutAgreement.<label>}. */
    static final String PER_LABEL_PREFIX = "heldOutAgreement.";

    private final LauncherOptions options;
    private final Path repoRoot;
    private final PrintStream out;

    DemoCommand(LauncherOptions options, Path repoRoot, PrintStream out) {
        this.options = options;
        this.repoRoot = repoRoot;
        this.out = out;
    }

    /** @return the process exit code */
    int run() throws Exception {
        Clock clock = new Clock();
        List<String> probes = QuerySource.latencyProbes();
        UnseenCheck.Split split = UnseenCheck.split(options.queriesFile() == null ? QuerySource.builtIn()
                : QuerySource.fromFile(options.queriesFile()));
        String source = options.queriesFile() == null ? "built-in demo set" : options.queriesFile().toString();
        Path runDir = RunDirectory.create(repoRoot);
        out.printf("%s run directory %s (logs)%n", clock.stamp(), repoRoot.relativize(runDir));
        try (Pipeline pipeline = Pipeline.start(repoRoot, runDir, options.bootstrap(), options.base(), out, clock)) {
            DistillationRun.Outcome outcome;
            try {
                outcome = new DistillationRun(pipeline, out, clock).run(split.streamed(), source, options.rate(),
                        options.timeout(), options.targetAgreement());
            } catch (DistillationRun.RunFailed e) {
                System.err.println("error: " + e.getMessage());
                System.err.println("logs: " + runDir);
                return 1;
            }
            String studentUrl = pipeline.service(ServiceProcess.Kind.STUDENT).baseUrl();
            HttpJson http = new HttpJson();
            out.printf("%s measuring student latency (%d sequential /v1/classify calls) ...%n", clock.stamp(),
                    LATENCY_SAMPLES);
            LatencyProbe.Latency latency = LatencyProbe.sequential(http, studentUrl, probes,
                    LATENCY_WARMUP, LATENCY_SAMPLES);
            out.printf("%s asking teacher and student about %d queries never streamed ...%n", clock.stamp(),
                    split.unseen().size());
            UnseenCheck.Result unseen = UnseenCheck.measure(http, pipeline.service(ServiceProcess.Kind.TEACHER).baseUrl(),
                    studentUrl, split.unseen());
            out.printf("%s streaming the same %d queries through the cascade (policy cascade) ...%n", clock.stamp(),
                    split.unseen().size());
            CascadeCheck.Result cascade = CascadeCheck.measure(http,
                    pipeline.service(ServiceProcess.Kind.TEACHER).baseUrl(), studentUrl, split.unseen());
            DemoReport report = report(outcome, source, latency, unseen, cascade);
            out.println();
            out.print(report.render());
            if (options.reportFile() != null) {
                report.writeJson(options.reportFile());
                out.println("report written to " + options.reportFile());
            }
            if (options.exitAfterReport()) {
                out.printf("%s --exit: stopping everything%n", clock.stamp());
                return 0;
            }
            out.println();
            EvalCommand.Endpoints.write(repoRoot, pipeline.service(ServiceProcess.Kind.TEACHER).baseUrl(), studentUrl);
            out.println("The student keeps serving. Try it (Ctrl-C stops everything):");
            out.println(curlExample(studentUrl));
            out.println("  ./distillery eval FILE [--cascade]    (teacher and student answer every line of FILE;"
                    + " --cascade: then as traffic through the cascade; see --help)");
            out.flush();
            waitUntilInterrupted(pipeline);
            return 0;
        }
    }

    static DemoReport report(DistillationRun.Outcome outcome, String source, LatencyProbe.Latency latency,
            UnseenCheck.Result unseen) {
        return report(outcome, source, latency, unseen, CascadeCheck.Result.NONE);
    }

    static DemoReport report(DistillationRun.Outcome outcome, String source, LatencyProbe.Latency latency,
            UnseenCheck.Result unseen, CascadeCheck.Result cascade) {
        PipelineStatus s = outcome.status();
        JsonNode trainer = outcome.trainer();
        JsonNode model = outcome.model();
        long promptTokens = model == null ? 0 : model.path("promptTokens").asLong(0);
        // The served checkpoint on the trainer's whole held-out slice at the end, when the trainer re-scored it; else
        // its manifest metrics (measured when it was made, on the slice as it was then).
        JsonNode last = trainer == null ? null : trainer.path("lastCheckpoint");
        JsonNode served = model == null ? null : model.path("checkpoint").path("metrics");
        Map<String, Double> byLabel = new HashMap<>();
        double agreement = Double.NaN;
        long heldOutExamples = 0;
        if (last != null && last.path("currentAgreement").isNumber() && s.studentCheckpointVersion() != null
                && last.path("version").asLong(-1) == s.studentCheckpointVersion()) {
            agreement = last.get("currentAgreement").asDouble();
            heldOutExamples = last.path("currentHeldOutExamples").asLong(0);
            for (Iterator<Map.Entry<String, JsonNode>> it = last.path("currentAgreementByLabel").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber()) {
                    byLabel.put(e.getKey(), e.getValue().asDouble());
                }
            }
        } else if (served != null && served.isObject() && served.path("heldOutAgreement").isNumber()) {
            agreement = served.get("heldOutAgreement").asDouble();
            heldOutExamples = served.path("heldOutExamples").asLong(0);
            for (Iterator<Map.Entry<String, JsonNode>> it = served.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith(PER_LABEL_PREFIX) && e.getValue().isNumber()) {
                    byLabel.put(e.getKey().substring(PER_LABEL_PREFIX.length()), e.getValue().asDouble());
                }
            }
        } else {
            agreement = s.trainerCheckpointAgreement() != null ? s.trainerCheckpointAgreement()
                    : s.trainerAgreement() != null ? s.trainerAgreement() : Double.NaN;
        }
        if (byLabel.isEmpty()) {
            JsonNode perLabel = trainer == null ? null : trainer.get("heldOutAgreementByLabel");
            if (perLabel != null && perLabel.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = perLabel.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    byLabel.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null);
                }
            }
        }
        return new DemoReport(outcome.sent(), source, s.labeled(), s.rejected(), s.checkpointsPublished(),
                s.studentCheckpointVersion() == null ? -1 : s.studentCheckpointVersion(), agreement, heldOutExamples,
                byLabel, trainer == null || !trainer.path("heldOutAgreement").isNumber() ? Double.NaN
                        : trainer.get("heldOutAgreement").asDouble(),
                trainer == null ? 0 : trainer.path("heldOutExamples").asLong(0),
                latency.p50Ms(), latency.p99Ms(), latency.samples(), promptTokens, promptTokens * s.labeled(),
                outcome.secondsToFirstCheckpoint(), outcome.secondsToFinal(),
                model == null ? null : textOrNull(model.get("base")),
                trainer == null ? null : textOrNull(trainer.get("device")), unseen.agreement(), unseen.compared(),
                numbers(trainer, "heldOutAgreementByLength", JsonNode::asDouble),
                numbers(trainer, "heldOutExamplesByLength", JsonNode::asInt), unseen.byLabel(), unseen.byLength(), cascade);
    }

    /** A JSON object's numeric fields, in their order (empty when absent). */
    private static <V> Map<String, V> numbers(JsonNode parent, String field,
            java.util.function.Function<JsonNode, V> value) {
        Map<String, V> out = new java.util.LinkedHashMap<>();
        JsonNode node = parent == null ? null : parent.get(field);
        if (node != null && node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber()) {
                    out.put(e.getKey(), value.apply(e.getValue()));
                }
            }
        }
        return out;
    }

    static String curlExample(String studentUrl) {
        return "  curl -s -X POST " + studentUrl + "/v1/classify -H 'Content-Type: application/json' \\\n"
                + "       -d '{\"text\": \"¿Dónde está la estación de tren?\"}'";
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Serves until Ctrl-C (the shutdown hook stops everything) or until a child dies. */
    private void waitUntilInterrupted(Pipeline pipeline) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        while (!never.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
            String dead = pipeline.deadProcess();
            if (dead != null) {
                System.err.println("error: " + dead);
                throw new IllegalStateException("a process of the pipeline exited");
            }
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
