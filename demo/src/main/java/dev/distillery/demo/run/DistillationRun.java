package dev.distillery.demo.run;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.Clock;
import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.process.Pipeline;
import dev.distillery.demo.process.ServiceProcess;

/**
 * Streams the queries and follows the pipeline until the student serves the final gated checkpoint: the teacher
 * answered every query, a forced round ({@code POST /v1/trainer/checkpoint}, which the trainer answers after
 * taking in everything queued) shows the trainer accounted for every labeled example, and the student hot-loaded
 * the trainer's last checkpoint. Prints a status line every few seconds meanwhile.
 */
public final class DistillationRun {

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    static final Duration POLL_EVERY = Duration.ofMillis(1000);
    /** Pause before asking the trainer again after a forced round that could not settle the run. */
    static final Duration RETRY_FORCE = Duration.ofSeconds(2);
    /** Rounds without a better served checkpoint after which the launcher stops chasing the target agreement. */
    static final int PATIENCE_ROUNDS = 4;

    /** How a run went; times are System.nanoTime() values, -1 when it never happened. */
    public record Outcome(
            long sent,
            PipelineStatus status,
            JsonNode trainer,
            JsonNode model,
            long firstQueryNanos,
            long firstQueryEpochMs,
            long firstServedNanos,
            long teacherDoneNanos,
            long finalServedNanos,
            boolean targetReached,
            TopicCounter counter) {

        public double secondsToFirstCheckpoint() {
            return firstServedNanos < 0 ? Double.NaN : (firstServedNanos - firstQueryNanos) / 1e9;
        }

        public double secondsToFinal() {
            return finalServedNanos < 0 ? Double.NaN : (finalServedNanos - firstQueryNanos) / 1e9;
        }
    }

    /** No gated checkpoint was served in time. */
    public static final class RunFailed extends Exception {
        public RunFailed(String message) {
            super(message);
        }
    }

    private final Pipeline pipeline;
    private final PrintStream out;
    private final Clock clock;
    private final HttpJson http = new HttpJson();

    public DistillationRun(Pipeline pipeline, PrintStream out, Clock clock) {
        this.pipeline = pipeline;
        this.out = out;
        this.clock = clock;
    }

    public Outcome run(List<String> queries, String source, double ratePerSecond, Duration timeout, double targetAgreement)
            throws RunFailed, InterruptedException {
        String trainerUrl = pipeline.service(ServiceProcess.Kind.TRAINER).baseUrl();
        String studentUrl = pipeline.service(ServiceProcess.Kind.STUDENT).baseUrl();
        TopicCounter counter = pipeline.attach(TopicCounter.startAtEnd(pipeline.bootstrapServers()));
        out.printf(Locale.ROOT, "%s streaming %d queries (%s) into distill.queries at %s%n", clock.stamp(),
                queries.size(), source, ratePerSecond > 0 ? String.format(Locale.ROOT, "%.0f/s", ratePerSecond) : "full speed");
        QueryStream stream = pipeline.attach(
                QueryStream.start(pipeline.bootstrapServers(), QueryStream.newRunId(), queries, ratePerSecond));
        long startNanos = System.nanoTime();
        long deadline = startNanos + timeout.toNanos();
        long nextProgress = startNanos;
        long firstServed = -1;
        long teacherDone = -1;
        boolean streamedNoted = false;
        CompletableFuture<JsonNode> forcing = null;
        long lastForceEnded = -1;
        int forcedRounds = 0;
        JsonNode forced = null;
        double bestServedAgreement = -1;
        int roundsWithoutGain = 0;
        long evaluatedForce = -1;
        PipelineStatus status = null;
        JsonNode trainer = null;
        JsonNode model = null;
        try {
            while (true) {
                String dead = pipeline.deadProcess();
                if (dead != null) {
                    throw new RunFailed(dead);
                }
                if (stream.failure() != null) {
                    throw new RunFailed("producing to distill.queries failed: " + stream.failure());
                }
                trainer = tryGet(trainerUrl + "/v1/trainer");
                model = tryGet(studentUrl + "/v1/model");
                long sent = stream.done() ? stream.sent() : queries.size();
                status = PipelineStatus.of(sent, counter, trainer, model);
                long now = System.nanoTime();

                if (stream.done() && !streamedNoted) {
                    streamedNoted = true;
                    out.printf("%s all %d queries are on distill.queries%n", clock.stamp(), stream.sent());
                }
                if (firstServed < 0 && status.studentCheckpointVersion() != null) {
                    firstServed = now;
                    out.printf(Locale.ROOT, "%s student serves its first gated checkpoint v%d, %.1f s after the first query%n",
                            clock.stamp(), status.studentCheckpointVersion(), (now - stream.firstSentNanos()) / 1e9);
                }
                if (teacherDone < 0 && stream.done() && status.teacherDone()) {
                    teacherDone = now;
                    out.printf("%s teacher answered every query: %d labeled, %d rejected%n", clock.stamp(),
                            status.labeled(), status.rejected());
                }
                if (now >= nextProgress) {
                    out.println(ProgressLine.format(clock.elapsedSeconds(), status));
                    nextProgress = now + PROGRESS_EVERY.toNanos();
                }

                if (forcing != null && forcing.isDone()) {
                    try {
                        forced = forcing.join();
                    } catch (RuntimeException e) {
                        forced = null;
                        out.printf("%s warning: POST /v1/trainer/checkpoint failed: %s%n", clock.stamp(), rootMessage(e));
                    }
                    forcing = null;
                    lastForceEnded = now;
                    if (forced != null) {
                        trainer = forced;
                    }
                }

                if (teacherDone >= 0 && forcing == null) {
                    boolean wantRound = false;
                    if (forcedRounds == 0) {
                        wantRound = true;
                    } else if (forced == null || !forced.isObject()) {
                        wantRound = now - lastForceEnded >= RETRY_FORCE.toNanos();
                    } else {
                        // The forced round's answer is fresh (GET /v1/trainer can lag while the trainer is busy).
                        PipelineStatus afterForce = PipelineStatus.of(sent, counter, forced, model);
                        long accounted = forced.path("examplesSeen").asLong(0) + forced.path("rejected").asLong(0)
                                + forced.path("duplicates").asLong(0);
                        boolean caughtUp = accounted >= status.labeled();
                        Long target = afterForce.trainerCheckpointVersion();
                        boolean studentCurrent = target != null && status.studentCheckpointVersion() != null
                                && status.studentCheckpointVersion() >= target;
                        if (!caughtUp || target == null) {
                            wantRound = now - lastForceEnded >= RETRY_FORCE.toNanos();
                        } else if (studentCurrent && lastForceEnded != evaluatedForce) {
                            // One decision per forced round, once the student serves what it produced.
                            evaluatedForce = lastForceEnded;
                            double agreement = afterForce.trainerCheckpointAgreement() == null ? Double.NaN
                                    : afterForce.trainerCheckpointAgreement();
                            if (!(agreement < targetAgreement)) {
                                return new Outcome(stream.sent(), status, trainer, model, stream.firstSentNanos(),
                                        stream.firstSentEpochMs(), firstServed, teacherDone, now, true, counter);
                            }
                            if (agreement > bestServedAgreement) {
                                bestServedAgreement = agreement;
                                roundsWithoutGain = 0;
                            } else {
                                roundsWithoutGain++;
                            }
                            if (roundsWithoutGain >= PATIENCE_ROUNDS) {
                                out.printf(Locale.ROOT, "%s held-out agreement stays at %.3f (target %.2f); reporting it%n",
                                        clock.stamp(), agreement, targetAgreement);
                                return new Outcome(stream.sent(), status, trainer, model, stream.firstSentNanos(),
                                        stream.firstSentEpochMs(), firstServed, teacherDone, now, false, counter);
                            }
                            wantRound = true;
                        }
                    }
                    if (wantRound) {
                        forcedRounds++;
                        String why = forcedRounds == 1 ? "teacher done; asking the trainer for a final round"
                                : forced == null ? "asking the trainer again"
                                : PipelineStatus.of(sent, counter, forced, model).trainerCheckpointVersion() == null
                                        ? "no checkpoint passed the gate yet; asking for another round"
                                : forced.path("examplesSeen").asLong(0) + forced.path("rejected").asLong(0)
                                        + forced.path("duplicates").asLong(0) < status.labeled()
                                                ? "trainer still catching up; asking for another round"
                                                : String.format(Locale.ROOT,
                                                        "agreement below target %.2f; asking for another round",
                                                        targetAgreement);
                        out.printf("%s %s (POST /v1/trainer/checkpoint)%n", clock.stamp(), why);
                        long left = Math.max(Duration.ofSeconds(10).toNanos(), deadline - now);
                        forcing = http.postAsync(trainerUrl + "/v1/trainer/checkpoint", null, Duration.ofNanos(left));
                    }
                }

                if (now > deadline) {
                    if (status.studentCheckpointVersion() != null) {
                        out.printf("%s timeout (%d s) reached; reporting the checkpoint the student serves%n",
                                clock.stamp(), timeout.toSeconds());
                        return new Outcome(stream.sent(), status, trainer, model, stream.firstSentNanos(),
                                stream.firstSentEpochMs(), firstServed, teacherDone, now, false, counter);
                    }
                    throw new RunFailed("no gated checkpoint served within " + timeout.toSeconds()
                            + " s; last status: " + ProgressLine.format(clock.elapsedSeconds(), status));
                }
                Thread.sleep(POLL_EVERY.toMillis());
            }
        } finally {
            stream.close();
        }
    }

    private JsonNode tryGet(String url) {
        try {
            return http.get(url, Duration.ofSeconds(5));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof TimeoutException ? "timed out" : String.valueOf(t.getMessage());
    }
}
