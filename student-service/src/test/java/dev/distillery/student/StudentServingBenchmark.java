package dev.distillery.student;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.checkpoint.AdapterFiles;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.model.BaseModel;
import dev.distillery.model.BertConfig;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.Prediction;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Figures for the student, not a test (surefire's default includes skip {@code *Benchmark}); run with
 * <pre>
 * ./mvnw -B -pl student-service -am verify -Dtest=StudentServingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Everything runs in one JVM on this machine: the real broker, the service, the load generator (so the client takes
 * CPU from the server) and real checkpoints. Prints a report and writes it to {@code target/student-benchmark.txt}.
 * Queries: {@code -Dbench.queries=FILE}, else {@code ../shared/data/tinker_multilingual.txt} (from the repository or
 * the module directory) when present, else a few built-in sentences.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
class StudentServingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/classify")
    URI classify;

    @TestHTTPResource("/v1/classify/batch")
    URI batch;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuilder report = new StringBuilder();
    /** The service's own latencyMs of each single-text answer at concurrency 1. */
    private final ConcurrentLinkedQueue<Double> serverSide = new ConcurrentLinkedQueue<>();

    @Test
    void measure() throws Exception {
        List<String> queries = queries();
        var config = ConfigProvider.getConfig();
        line("student-service benchmark  %s  cores=%d  max-batch=%s  max-wait=%s  queries=%d", java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(), config.getValue("distillery.student.max-batch", String.class),
                config.getValue("distillery.student.max-wait", String.class), queries.size());

        line("machine load average before the run (other processes share these cores): %s", loadAverage());
        long first = ServiceProbe.ensureServing();
        line("serving checkpoint v%d (tiny base, LoRA r=8, trained by the trainer code path)", first);
        // Checkpoints for the swap runs are written now: training is the trainer's CPU, not the student's.
        int rounds = 3;
        int swapsPerRound = 5;
        java.util.Deque<StoredCheckpoint> pending = new java.util.ArrayDeque<>();
        for (int i = 0; i < rounds * swapsPerRound; i++) {
            pending.add(TrainedCheckpoints.writeNext());
        }
        run("warm-up", 4, Duration.ofSeconds(5), queries, null);

        serverSide.clear();
        Stats c1 = run("concurrency 1", 1, Duration.ofSeconds(15), queries, null);
        // Where a lone request's time goes: the service's own latencyMs (parse, queue, forward pass, answer) against
        // what the client saw; the rest is HTTP on both sides and the client, which shares this JVM and the cores.
        double[] server = serverSide.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (server.length > 0) {
            line("%-48s p50=%7.2f ms  p90=%7.2f ms (the response's latencyMs; client and HTTP: the rest of c=1)",
                    "  of which inside the service", server[server.length / 2], server[server.length * 9 / 10]);
        }
        // Plain and swapping runs alternate, so that load from other processes on this machine hits both alike.
        List<Stats> plainRuns = new ArrayList<>();
        List<Stats> swapRuns = new ArrayList<>();
        AtomicInteger swapped = new AtomicInteger();
        try (var producer = KafkaBrokerResource.kafka().producer()) {
            for (int r = 1; r <= rounds; r++) {
                plainRuns.add(run("concurrency 32, round " + r, 32, Duration.ofSeconds(10), queries, null));
                swapRuns.add(run("concurrency 32, a swap every 2 s, round " + r, 32, Duration.ofSeconds(10), queries,
                        () -> {
                            for (int i = 0; i < swapsPerRound; i++) {
                                sleep(Duration.ofMillis(1900));
                                StoredCheckpoint checkpoint = pending.poll();
                                var a = TrainedCheckpoints.announcementOf(checkpoint);
                                try {
                                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                            dev.distillery.kafka.Topics.CHECKPOINTS, a.task(),
                                            dev.distillery.messages.MessageCodec.encode(a))).get();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                ServiceProbe.awaitServed(checkpoint.version());
                                swapped.incrementAndGet();
                            }
                        }));
            }
        }
        Stats c32 = Stats.merge(plainRuns);
        Stats swaps = Stats.merge(swapRuns);
        line("swaps completed during the swapping runs: %d (each: announce, load, verify sha256, warm up, swap)",
                swapped.get());
        Stats batch32 = runBatch("batch requests of 32 texts, concurrency 4", 4, 32, Duration.ofSeconds(15), queries);

        line("");
        line("SUMMARY  p50/p99 ms: c=1 %.2f/%.2f   c=32 %.2f/%.2f   c=32+swaps %.2f/%.2f (failed %d)",
                c1.p(50), c1.p(99), c32.p(50), c32.p(99), swaps.p(50), swaps.p(99), swaps.failed);
        line("SUMMARY  throughput: c=1 %.0f req/s, c=32 %.0f req/s (texts/s), batch-32 requests %.0f texts/s",
                c1.perSecond(), c32.perSecond(), batch32.perSecond() * 32);

        line("machine load average after the serving runs: %s", loadAverage());
        promptCost(queries);

        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/student-benchmark.txt"), report);
    }

    /** The saving prompt distillation buys: the same student answering P + query versus the query alone. */
    private void promptCost(List<String> queries) throws IOException, dev.distillery.checkpoint.CheckpointException {
        TaskSpec task = TaskSpec.languageId();
        line("");
        line("PROMPT COST: the same student model answering \"P + query\" versus \"query\" (batch 1, in-process)");
        // (a) the served checkpoint on the tiny base: 128 positions, so P + query is cut to 128 tokens and the query
        // itself is never read.
        StoredCheckpoint latest = TrainedCheckpoints.store().latest(task.name()).orElseThrow();
        try (StudentModel served = AdapterFiles.load(BaseModel.tiny(), latest, "cpu")) {
            compare("tiny base (max length " + BaseModel.tiny().maxLength() + ", P+query truncated)", served, task, queries,
                    60);
        }
        // (b) the same architecture with enough positions for P + query: every token is processed.
        BertConfig t = BertConfig.tiny();
        BertConfig wide = new BertConfig(t.modelType(), t.vocabSize(), t.hiddenSize(), t.numLayers(), t.numHeads(),
                t.intermediateSize(), 4096, t.typeVocabSize(), t.layerNormEps(), t.padTokenId(), t.positionOffset());
        try (BaseModel base = BaseModel.random("tiny-4096", wide, BaseModel.TINY_SEED);
                StudentModel student = StudentModel.create(base, LoraConfig.defaults(), task.labels(), "cpu", 1)) {
            compare("tiny architecture with 4096 positions (nothing truncated)", student, task, queries, 20);
        }
    }

    private void compare(String name, StudentModel model, TaskSpec task, List<String> queries, int n) {
        List<String> sample = queries.subList(0, Math.min(n, queries.size()));
        for (int i = 0; i < 3; i++) {
            model.predict(List.of(sample.get(i)));
            model.predict(List.of(task.prompt() + "\n" + sample.get(i)));
        }
        long[] alone = new long[sample.size()];
        long[] prompted = new long[sample.size()];
        long tokensAlone = 0;
        long tokensPrompted = 0;
        long fullPrompted = 0;
        for (int i = 0; i < sample.size(); i++) {
            String q = sample.get(i);
            long s = System.nanoTime();
            Prediction a = model.predict(List.of(q)).get(0);
            alone[i] = System.nanoTime() - s;
            s = System.nanoTime();
            Prediction p = model.predict(List.of(task.prompt() + "\n" + q)).get(0);
            prompted[i] = System.nanoTime() - s;
            tokensAlone += a.tokens();
            tokensPrompted += p.tokens();
            fullPrompted += model.base().countTokens(task.prompt() + "\n" + q);
        }
        Arrays.sort(alone);
        Arrays.sort(prompted);
        double medAlone = alone[alone.length / 2] / 1e6;
        double medPrompted = prompted[prompted.length / 2] / 1e6;
        double meanAlone = Arrays.stream(alone).average().orElse(0) / 1e6;
        double meanPrompted = Arrays.stream(prompted).average().orElse(0) / 1e6;
        line("  %s:", name);
        line("    tokens processed per query: query %.1f, P+query %.1f (P+query untruncated %.1f)  -> ratio %.1fx",
                tokensAlone / (double) sample.size(), tokensPrompted / (double) sample.size(),
                fullPrompted / (double) sample.size(), tokensPrompted / (double) tokensAlone);
        line("    time per query: median %.2f ms vs %.2f ms (mean %.2f vs %.2f)  -> ratio %.1fx", medAlone, medPrompted,
                meanAlone, meanPrompted, medPrompted / medAlone);
    }

    private Stats run(String name, int concurrency, Duration duration, List<String> queries, Runnable during)
            throws Exception {
        List<byte[]> bodies = queries.stream().map(q -> json(java.util.Map.of("text", q))).toList();
        return load(name, concurrency, duration, bodies, classify, during, 1);
    }

    private Stats runBatch(String name, int concurrency, int size, Duration duration, List<String> queries)
            throws Exception {
        List<byte[]> bodies = IntStream.range(0, Math.max(1, queries.size() / size))
                .mapToObj(i -> json(java.util.Map.of("texts", IntStream.range(i * size, i * size + size)
                        .mapToObj(j -> queries.get(j % queries.size())).toList())))
                .toList();
        return load(name, concurrency, duration, bodies, batch, null, size);
    }

    private Stats load(String name, int concurrency, Duration duration, List<byte[]> bodies, URI uri, Runnable during,
            int textsPerRequest) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            threads.add(Thread.ofPlatform().name("bench-" + c).start(() -> {
                List<Long> mine = new ArrayList<>();
                while (running.get()) {
                    byte[] body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            mine.add(System.nanoTime() - s);
                            if (concurrency == 1 && textsPerRequest == 1) {
                                serverSide.add(JSON.readTree(r.body()).path("latencyMs").asDouble());
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                    }
                }
                samples.add(mine.stream().mapToLong(Long::longValue).toArray());
            }));
        }
        Thread side = during == null ? null : Thread.ofPlatform().name("bench-side").start(during);
        Thread.sleep(duration.toMillis());
        if (side != null) {
            side.join();
        }
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Stats stats = new Stats(all, seconds, failed.get());
        line("%-48s n=%6d  failed=%d  p50=%7.2f ms  p90=%7.2f ms  p99=%7.2f ms  max=%7.2f ms  %7.0f req/s (%.0f texts/s)",
                name, all.length, stats.failed, stats.p(50), stats.p(90), stats.p(99), stats.p(100), stats.perSecond(),
                stats.perSecond() * textsPerRequest);
        return stats;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> queries() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String given = System.getProperty("bench.queries");
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        }
        candidates.add(Path.of("../shared/data/tinker_multilingual.txt"));
        candidates.add(Path.of("../../shared/data/tinker_multilingual.txt"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
            }
        }
        return List.of("The weather is lovely today.", "Das Wetter ist heute schön.", "Il fait beau aujourd'hui.",
                "Hace buen tiempo hoy.", "Сегодня хорошая погода.", "今天天气很好。", "الطقس جميل اليوم.",
                "Ο καιρός είναι ωραίος σήμερα.", "आज मौसम अच्छा है।", "Bugün hava çok güzel.", "آج موسم اچھا ہے۔",
                "Hôm nay thời tiết đẹp.", "12345 67890", "print('hello')");
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Stats(long[] sorted, double seconds, long failed) {
        double p(double percentile) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }

        double perSecond() {
            return sorted.length / seconds;
        }

        static Stats merge(List<Stats> runs) {
            long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.sorted)).sorted().toArray();
            return new Stats(all, runs.stream().mapToDouble(Stats::seconds).sum(),
                    runs.stream().mapToLong(Stats::failed).sum());
        }
    }
}
