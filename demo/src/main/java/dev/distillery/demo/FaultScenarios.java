package dev.distillery.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.distillery.demo.process.Clock;
import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.process.Pipeline;
import dev.distillery.demo.process.ServiceProcess.Kind;
import dev.distillery.demo.report.FaultResult;
import dev.distillery.demo.run.FaultLoad;
import dev.distillery.demo.run.OutcomeTally;
import dev.distillery.demo.run.StudentLoad;
import dev.distillery.kafka.Topics;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Query;
import dev.distillery.messages.RecordId;

/**
 * The faults the pipeline must ride out, each injected into the running pipeline (real broker, the three packaged
 * services as processes) and judged only by what went over Kafka and HTTP. Every scenario returns its figures and
 * whether it passed: no query may go missing, and no request may fail where the scenario allows none.
 */
final class FaultScenarios {

    private static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(4);
    private static final double RATE = 40;

    private final Pipeline pipeline;
    private final List<String> texts;
    private final PrintStream out;
    private final Clock clock;
    private final HttpJson http = new HttpJson();

    FaultScenarios(Pipeline pipeline, List<String> texts, PrintStream out, Clock clock) {
        this.pipeline = pipeline;
        this.texts = texts;
        this.out = out;
        this.clock = clock;
    }

    private String url(Kind kind) {
        return pipeline.service(kind).baseUrl();
    }

    private List<String> queries(int n) {
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(texts.get(i % texts.size()));
        }
        return list;
    }

    private static String prefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Broker killed (SIGKILL) while queries stream, restarted after {@code down}: nothing lost, no service restart. */
    FaultResult brokerOutage(Duration down) throws Exception {
        String name = "broker-down-" + down.toSeconds() + "s";
        long teacherPid = pipeline.service(Kind.TEACHER).process().pid();
        try (FaultLoad load = FaultLoad.start(pipeline.bootstrapServers(), prefix(name), queries(1200), RATE)) {
            Thread.sleep(5_000);
            out.printf("%s %s: killing the broker for %d s%n", clock.stamp(), name, down.toSeconds());
            pipeline.killBroker();
            Thread.sleep(down.toMillis());
            pipeline.restartBroker();
            long restarted = System.nanoTime();
            double ready = awaitReady(List.of(Kind.TEACHER, Kind.TRAINER), restarted);
            load.await();
            Set<String> ids = load.acked();
            OutcomeTally tally = OutcomeTally.await(pipeline.bootstrapServers(), ids, OUTCOME_TIMEOUT);
            boolean sameTeacher = pipeline.service(Kind.TEACHER).process().pid() == teacherPid
                    && pipeline.service(Kind.TEACHER).isAlive();
            long missing = tally.missing(ids);
            return new FaultResult(name, ids.size(), tally.labeled(ids), tally.rejected(ids), missing,
                    tally.duplicates(ids), 0, "0", ready, missing == 0 && sameTeacher && load.failure() == null
                            && !Double.isNaN(ready),
                    sameTeacher ? "teacher never restarted" : "the teacher process died");
        }
    }

    /** Poison records (600 KB id and key, 900 KB value, random bytes) followed by good queries. */
    FaultResult poisonRecords() throws Exception {
        String p = prefix("poison");
        Set<String> poisonKeys = new HashSet<>();
        Random random = new Random(11);
        try (KafkaProducer<String, byte[]> producer = FaultLoad.producer(pipeline.bootstrapServers())) {
            String hugeId = p + "-id-" + "x".repeat(600_000);
            producer.send(new ProducerRecord<>(Topics.QUERIES, 0, null,
                    MessageCodec.encode(Query.of(hugeId, "a good text with a huge id", Instant.now())))).get();
            poisonKeys.add(RecordId.bounded(hugeId));
            String hugeKey = p + "-key-" + "k".repeat(600_000);
            producer.send(new ProducerRecord<>(Topics.QUERIES, 0, hugeKey,
                    "a good text with a huge key".getBytes(StandardCharsets.UTF_8))).get();
            poisonKeys.add(RecordId.bounded(hugeKey));
            producer.send(new ProducerRecord<>(Topics.QUERIES, 0, p + "-value",
                    "é".repeat(450_000).getBytes(StandardCharsets.UTF_8))).get();
            poisonKeys.add(p + "-value");
            for (int i = 0; i < 20; i++) {
                byte[] noise = new byte[1 + random.nextInt(50_000)];
                random.nextBytes(noise);
                producer.send(new ProducerRecord<>(Topics.QUERIES, i % 2, p + "-bytes-" + i, noise)).get();
                poisonKeys.add(p + "-bytes-" + i);
            }
        }
        long teacherPid = pipeline.service(Kind.TEACHER).process().pid();
        try (FaultLoad load = FaultLoad.start(pipeline.bootstrapServers(), p + "-good", queries(200), 200)) {
            load.await();
            Set<String> good = load.acked();
            Set<String> all = new HashSet<>(good);
            all.addAll(poisonKeys);
            OutcomeTally tally = OutcomeTally.await(pipeline.bootstrapServers(), all, OUTCOME_TIMEOUT);
            long poisonRejected = tally.rejected(poisonKeys);
            boolean alive = pipeline.service(Kind.TEACHER).process().pid() == teacherPid
                    && http.status(url(Kind.TEACHER) + "/q/health/live", Duration.ofSeconds(5)) == 200;
            long missing = tally.missing(all);
            return new FaultResult("poison-records", all.size(), tally.labeled(all), tally.rejected(all), missing,
                    tally.duplicates(all), 0, "0", Double.NaN,
                    missing == 0 && poisonRejected == poisonKeys.size() && tally.labeled(good) == good.size() && alive,
                    poisonRejected + "/" + poisonKeys.size() + " poison rejected ("
                            + tally.reason(RecordId.bounded(hugeKeyOf(poisonKeys))) + ", ...); teacher "
                            + (alive ? "live, never restarted" : "NOT live"));
        }
    }

    private static String hugeKeyOf(Set<String> keys) {
        return keys.stream().filter(k -> k.contains("-key-")).findFirst().orElse("");
    }

    /** The trainer is killed (kill -9) mid-stream and started again: it resumes, counting every example once. */
    FaultResult trainerKill() throws Exception {
        String name = "trainer-kill-9";
        try (FaultLoad load = FaultLoad.start(pipeline.bootstrapServers(), prefix(name), queries(600), RATE)) {
            Thread.sleep(6_000);
            out.printf("%s %s: kill -9 the trainer%n", clock.stamp(), name);
            pipeline.kill(Kind.TRAINER);
            pipeline.restart(Kind.TRAINER);
            long restarted = System.nanoTime();
            double ready = awaitReady(List.of(Kind.TRAINER), restarted);
            load.await();
            Set<String> ids = load.acked();
            OutcomeTally tally = OutcomeTally.await(pipeline.bootstrapServers(), ids, OUTCOME_TIMEOUT);
            long expected = OutcomeTally.distinctLabeledKeys(pipeline.bootstrapServers());
            long seen = awaitTrainerSeen(expected);
            long missing = tally.missing(ids);
            return new FaultResult(name, ids.size(), tally.labeled(ids), tally.rejected(ids), missing,
                    tally.duplicates(ids), 0, "0", ready, missing == 0 && seen == expected && !Double.isNaN(ready),
                    "trainer examplesSeen " + seen + " = distinct labeled " + expected + (seen == expected ? "" : " NO"));
        }
    }

    private long awaitTrainerSeen(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            JsonNode status = getOrNull(url(Kind.TRAINER) + "/v1/trainer");
            seen = status == null ? -1 : status.path("examplesSeen").asLong(-1);
            if (seen == expected) {
                return seen;
            }
            Thread.sleep(1_000);
        }
        return seen;
    }

    /** Student load while the trainer publishes checkpoints: every request answered across every swap. */
    FaultResult checkpointSwaps(Duration length) throws Exception {
        awaitServedCheckpoint();
        // New queries keep the trainer taking rounds (and publishing the ones its gate passes) besides the forced ones.
        int streamed = (int) (length.toSeconds() * RATE);
        try (FaultLoad stream = FaultLoad.start(pipeline.bootstrapServers(), prefix("swaps"), queries(streamed), RATE);
                StudentLoad load = StudentLoad.start(url(Kind.STUDENT), texts, 4)) {
            long end = System.nanoTime() + length.toNanos();
            int forced = 0;
            while (System.nanoTime() < end) {
                try {
                    http.post(url(Kind.TRAINER) + "/v1/trainer/checkpoint", null, Duration.ofSeconds(20));
                    forced++;
                } catch (IOException e) {
                    // a refused or failed round is no fault of the student's
                }
                Thread.sleep(2_000);
            }
            load.close();
            return new FaultResult("checkpoint-swaps", 0, 0, 0, 0, 0, load.failed(), "0", Double.NaN,
                    load.failed() == 0 && load.ok() > 0, load.ok() + " answers from " + load.versions().size()
                            + " checkpoint versions (" + forced + " forced rounds)"
                            + (load.firstFailure() == null ? "" : "; first failure: " + load.firstFailure()));
        }
    }

    /** Corrupt, bogus, malformed and oversized announcements under load: refused, the current model keeps serving. */
    FaultResult corruptCheckpoints() throws Exception {
        long served = awaitServedCheckpoint();
        Path source = pipeline.checkpointsDir();
        try (StudentLoad load = StudentLoad.start(url(Kind.STUDENT), texts, 2);
                KafkaProducer<String, byte[]> producer = FaultLoad.producer(pipeline.bootstrapServers())) {
            Path bogus = Files.createTempDirectory(source, "corrupt-");
            Files.writeString(bogus.resolve("adapter.safetensors"), "not a checkpoint");
            CheckpointAnnouncement lie = new CheckpointAnnouncement(1, served + 1000, bogus.toUri().toString(),
                    "0".repeat(64), 16, new CheckpointAnnouncement.BaseModel("none", "0".repeat(64)), "language-id",
                    "0".repeat(64), List.of("en"), null, Instant.now());
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "language-id", MessageCodec.encode(lie))).get();
            byte[] noise = new byte[200 * 1024];
            new Random(5).nextBytes(noise);
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "language-id", noise)).get();
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "language-id",
                    "{\"version\": \"x\"}".getBytes(StandardCharsets.UTF_8))).get();
            Thread.sleep(10_000);
            load.close();
            JsonNode model = getOrNull(url(Kind.STUDENT) + "/v1/model");
            long now = model == null ? -1 : model.path("checkpoint").path("version").asLong(-1);
            String refusal = model == null ? "?" : model.path("lastRefusal").path("reason").asText("none");
            boolean passed = load.failed() == 0 && now == served;
            return new FaultResult("corrupt-checkpoints", 0, 0, 0, 0, 0, load.failed(), "0", Double.NaN, passed,
                    "still serving v" + now + " (was v" + served + "), last refusal: " + refusal + ", "
                            + load.ok() + " answers");
        }
    }

    /** The student is killed (kill -9) under load and started again. Failures only while it is down. */
    FaultResult studentKill() throws Exception {
        awaitServedCheckpoint();
        try (StudentLoad load = StudentLoad.start(url(Kind.STUDENT), texts, 4)) {
            Thread.sleep(3_000);
            out.printf("%s student-kill-9: kill -9 the student under load%n", clock.stamp());
            pipeline.kill(Kind.STUDENT);
            pipeline.restart(Kind.STUDENT);
            long restarted = System.nanoTime();
            double ready = awaitReady(List.of(Kind.STUDENT), restarted);
            long failedWhileDown = load.failed();
            Thread.sleep(10_000);
            long failedAfter = load.failed() - failedWhileDown;
            load.close();
            return new FaultResult("student-kill-9", 0, 0, 0, 0, 0, failedAfter, "0 after ready", ready,
                    failedAfter == 0 && !Double.isNaN(ready), failedWhileDown + " failed while down (one replica), "
                            + load.ok() + " answers in all");
        }
    }

    private long awaitServedCheckpoint() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode model = getOrNull(url(Kind.STUDENT) + "/v1/model");
            if (model != null && model.path("checkpoint").has("version")) {
                return model.path("checkpoint").path("version").asLong();
            }
            try {
                http.post(url(Kind.TRAINER) + "/v1/trainer/checkpoint", null, Duration.ofSeconds(120));
            } catch (IOException e) {
                // not enough data yet, or refused by the gate: try again
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("the student served no checkpoint within 5 minutes");
    }

    /** Seconds from {@code sinceNanos} until every service in {@code kinds} reports ready; NaN after 5 minutes. */
    private double awaitReady(List<Kind> kinds, long sinceNanos) throws InterruptedException {
        long deadline = sinceNanos + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Kind kind : kinds) {
                all &= http.status(url(kind) + "/q/health/ready", Duration.ofSeconds(3)) == 200;
            }
            if (all) {
                return (System.nanoTime() - sinceNanos) / 1e9;
            }
            Thread.sleep(250);
        }
        return Double.NaN;
    }

    private JsonNode getOrNull(String url) {
        try {
            return http.get(url, Duration.ofSeconds(10));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
