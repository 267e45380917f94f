package dev.distillery.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.distillery.demo.process.Clock;
import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.process.Pipeline;
import dev.distillery.demo.process.RunDirectory;
import dev.distillery.demo.process.ServiceProcess;
import dev.distillery.demo.run.CascadeCheck;
import dev.distillery.demo.run.DistillationRun;
import dev.distillery.demo.run.LatencyProbe;
import dev.distillery.demo.run.PipelineStatus;
import dev.distillery.demo.run.PrometheusText;
import dev.distillery.demo.run.QuerySource;
import dev.distillery.demo.run.QueryStream;
import dev.distillery.demo.run.TopicCounter;

/**
 * {@code ./distillery bench}: for each data set, a fresh pipeline; end-to-end time from the first query to the
 * first gated checkpoint served, then the throughput of each stage. Not a test: it prints numbers.
 */
final class BenchCommand {

    static final String SHARED_DATA = "../shared/data/tinker_multilingual.txt";
    static final int STUDENT_CONCURRENCY = 4;
    static final int STUDENT_REQUESTS = 1000;
    static final Duration TEACHER_BURST_TIMEOUT = Duration.ofMinutes(3);

    /** One row of the table. */
    record Row(String dataset, long queries, long labeled, long rejected, double firstCheckpointSeconds,
            double finalCheckpointSeconds, double agreement, double teacherPerSecond, double trainerPerSecond,
            double studentPerSecond, double studentP50Ms, double studentP99Ms, double cascadeCoverage,
            double cascadeAgreement) {
    }

    /** Queries of the stream sent through the cascade at the end (every k-th, one by one). */
    static final int CASCADE_SAMPLE = 300;

    private final LauncherOptions options;
    private final Path repoRoot;
    private final PrintStream out;

    BenchCommand(LauncherOptions options, Path repoRoot, PrintStream out) {
        this.options = options;
        this.repoRoot = repoRoot;
        this.out = out;
    }

    int run() throws Exception {
        List<String[]> datasets = new ArrayList<>();
        if (options.queriesFile() != null) {
            datasets.add(new String[] {options.queriesFile().getFileName().toString(), options.queriesFile().toString()});
        } else {
            datasets.add(new String[] {"built-in demo set", null});
            Path shared = sharedData(repoRoot);
            if (shared != null) {
                datasets.add(new String[] {"tinker_multilingual.txt", shared.toString()});
            } else {
                out.println("note: " + SHARED_DATA + " is absent; benchmarking the built-in set only");
            }
        }
        List<Row> rows = new ArrayList<>();
        Clock clock = new Clock();
        Path runDir = RunDirectory.create(repoRoot);
        out.printf("%s bench run directory %s (logs)%n", clock.stamp(), repoRoot.relativize(runDir));
        int exit = 0;
        for (int i = 0; i < datasets.size(); i++) {
            String[] dataset = datasets.get(i);
            out.printf("%s === %s ===%n", clock.stamp(), dataset[0]);
            try {
                rows.add(benchOne(dataset[0], dataset[1], runDir.resolve("bench-" + (i + 1)), clock));
            } catch (DistillationRun.RunFailed e) {
                System.err.println("error: " + dataset[0] + ": " + e.getMessage());
                exit = 1;
            }
        }
        out.println();
        out.print(table(rows, options.rate()));
        return exit;
    }

    /**
     * {@code ../shared/data/tinker_multilingual.txt} beside the clone (CI), or one level further up (a git worktree
     * inside a folder of worktrees); {@code DISTILLERY_SHARED_DIR} names the shared folder explicitly.
     */
    static Path sharedData(Path repoRoot) {
        List<Path> candidates = new ArrayList<>();
        String dir = System.getenv("DISTILLERY_SHARED_DIR");
        if (dir != null && !dir.isBlank()) {
            candidates.add(Path.of(dir).resolve("data/tinker_multilingual.txt"));
        }
        candidates.add(repoRoot.resolve(SHARED_DATA));
        candidates.add(repoRoot.resolve("..").resolve(SHARED_DATA));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    private Row benchOne(String name, String file, Path runDir, Clock clock) throws Exception {
        List<String> queries = file == null ? QuerySource.builtIn() : QuerySource.fromFile(Path.of(file));
        List<String> probes = QuerySource.latencyProbes();
        try (Pipeline pipeline = Pipeline.start(repoRoot, runDir, options.bootstrap(), options.base(), out, clock)) {
            DistillationRun.Outcome outcome = new DistillationRun(pipeline, out, clock)
                    .run(queries, name, options.rate(), options.timeout(), 0.0);
            HttpJson http = new HttpJson();
            String studentUrl = pipeline.service(ServiceProcess.Kind.STUDENT).baseUrl();
            String trainerUrl = pipeline.service(ServiceProcess.Kind.TRAINER).baseUrl();

            out.printf("%s student: %d sequential calls, then %d calls with %d clients ...%n", clock.stamp(),
                    DemoCommand.LATENCY_SAMPLES, STUDENT_REQUESTS, STUDENT_CONCURRENCY);
            LatencyProbe.Latency latency = LatencyProbe.sequential(http, studentUrl, probes, DemoCommand.LATENCY_WARMUP,
                    DemoCommand.LATENCY_SAMPLES);
            double studentPerSecond = LatencyProbe.throughput(http, studentUrl, queries, STUDENT_CONCURRENCY,
                    STUDENT_REQUESTS);

            double trainerPerSecond = trainerSlotsPerSecond(trainerUrl);

            out.printf("%s teacher: the same %d queries again, all at once ...%n", clock.stamp(), queries.size());
            double teacherPerSecond = teacherBurst(pipeline, outcome.counter(), queries, clock);

            List<String> sample = new ArrayList<>();
            for (int k = 0; k < queries.size(); k += Math.max(1, queries.size() / CASCADE_SAMPLE)) {
                sample.add(queries.get(k));
            }
            out.printf("%s cascade: %d queries of the stream one by one (policy cascade) ...%n", clock.stamp(),
                    sample.size());
            CascadeCheck.Result cascade = CascadeCheck.measure(http,
                    pipeline.service(ServiceProcess.Kind.TEACHER).baseUrl(), studentUrl, sample);

            PipelineStatus s = outcome.status();
            double agreement = s.trainerCheckpointAgreement() == null ? Double.NaN : s.trainerCheckpointAgreement();
            return new Row(name, outcome.sent(), s.labeled(), s.rejected(), outcome.secondsToFirstCheckpoint(),
                    outcome.secondsToFinal(), agreement, teacherPerSecond, trainerPerSecond, studentPerSecond,
                    latency.p50Ms(), latency.p99Ms(), cascade.coverage(), cascade.agreement());
        }
    }

    /**
     * Teacher throughput without the stream's pacing: the queries are produced again at once (new ids) and timed
     * until the teacher has answered them all.
     */
    private double teacherBurst(Pipeline pipeline, TopicCounter counter, List<String> queries, Clock clock)
            throws InterruptedException {
        long before = counter.labeled() + counter.rejected();
        long start = System.nanoTime();
        try (QueryStream burst = QueryStream.start(pipeline.bootstrapServers(), QueryStream.newRunId(), queries, 0)) {
            long deadline = start + TEACHER_BURST_TIMEOUT.toNanos();
            while (counter.labeled() + counter.rejected() - before < queries.size()) {
                if (System.nanoTime() > deadline) {
                    out.printf("%s warning: teacher burst incomplete after %d s%n", clock.stamp(),
                            TEACHER_BURST_TIMEOUT.toSeconds());
                    break;
                }
                Thread.sleep(100);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return (counter.labeled() + counter.rejected() - before) / seconds;
    }

    /** Training slots (examples per optimizer step, new and replayed) per second of step time, from /q/metrics. */
    static double trainerSlotsPerSecond(String trainerUrl) {
        try {
            HttpClient client = HttpClient.newHttpClient();
            String text = client.send(HttpRequest.newBuilder(URI.create(trainerUrl + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double steps = PrometheusText.sum(text, "distillery_trainer_step_seconds_count");
            double seconds = PrometheusText.sum(text, "distillery_trainer_step_seconds_sum");
            int stepBatch = stepBatchSize();
            return steps > 0 && seconds > 0 ? steps * stepBatch / seconds : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The trainer's examples per optimizer step: its default unless the environment overrides it. */
    static int stepBatchSize() {
        String env = System.getenv("DISTILLERY_TRAINER_STEP_BATCH_SIZE");
        try {
            return env == null ? 32 : Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            return 32;
        }
    }

    static String table(List<Row> rows, double rate) {
        StringBuilder text = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-24s %7s %7s %6s %10s %10s %9s %11s %11s %11s %13s %8s %8s%n",
                "dataset", "queries", "labeled", "rej.", "1st ckpt s", "final s", "agreement", "teacher q/s",
                "trainer ex/s", "student q/s", "p50/p99 ms", "coverage", "cascade");
        text.append(header);
        text.append("-".repeat(header.length() - 1)).append('\n');
        for (Row r : rows) {
            text.append(String.format(Locale.ROOT, "%-24s %7d %7d %6d %10s %10s %9s %11s %11s %11s %13s %8s %8s%n",
                    r.dataset().length() > 24 ? r.dataset().substring(0, 24) : r.dataset(), r.queries(), r.labeled(),
                    r.rejected(), num(r.firstCheckpointSeconds(), 1), num(r.finalCheckpointSeconds(), 1),
                    num(r.agreement(), 3), num(r.teacherPerSecond(), 0), num(r.trainerPerSecond(), 0),
                    num(r.studentPerSecond(), 0), num(r.studentP50Ms(), 1) + "/" + num(r.studentP99Ms(), 1),
                    num(r.cascadeCoverage(), 3), num(r.cascadeAgreement(), 3)));
        }
        text.append(String.format(Locale.ROOT,
                "1st ckpt / final: seconds from the first query (streamed at %s) to the first / final gated checkpoint"
                        + " served by the student.%n"
                        + "teacher: queries answered per second when all are produced at once; trainer: examples per"
                        + " second of optimizer-step time%n(step batch %d, new + replayed); student: /v1/classify calls"
                        + " per second with %d concurrent clients; p50/p99: %d sequential calls.%n"
                        + "coverage / cascade: share of %d queries of the stream the student answered itself under the"
                        + " cascade policy, and the served answers' agreement with the teacher.%n",
                rate > 0 ? String.format(Locale.ROOT, "%.0f queries/s", rate) : "full speed", stepBatchSize(),
                STUDENT_CONCURRENCY, DemoCommand.LATENCY_SAMPLES, CASCADE_SAMPLE));
        return text.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
