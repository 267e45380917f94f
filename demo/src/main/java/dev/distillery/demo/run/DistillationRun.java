package dev.distillery.demo.run;

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
import dev.distillery.demo.run.PipelineWatch.Look;

/**
 * Streams the queries and follows the pipeline until the student serves the final gated checkpoint, in phases:
 * streaming (the teacher labels, the trainer takes its regular rounds) until the teacher answered every query;
 * then forced rounds ({@code POST /v1/trainer/checkpoint}, which the trainer answers after taking in everything
 * queued) until one accounted for every labeled example and the student hot-loaded its checkpoint; settled when
 * that checkpoint stops improving, or once it reached the target agreement and the trainer's own consolidation rounds
 * had their time ({@link #consolidate}). The caller reports the {@link Outcome}.
 * {@link PipelineWatch} polls, prints the status line every few seconds and keeps the deadline.
 */
public final class DistillationRun {

    /** Pause before asking the trainer again after a forced round that could not settle the run. */
    static final Duration RETRY_FORCE = Duration.ofSeconds(2);
    /** Rounds without a better served checkpoint after which the launcher stops chasing the target agreement. */
    static final int PATIENCE_ROUNDS = 4;
    static final String FIRST_ROUND = "teacher done; asking the trainer for a final round";
    /**
     * Once the target is reached, the run waits this long at most for the trainer's consolidation rounds. Why: in
     * OutOfDistributionBenchmark (one run), 20 consolidation rounds after the demo's stream raised the student's
     * agreement on fortune-cookie sentences from 0.883 to 0.909 and the cascade's coverage of UDHR sentences from 0.47
     * to 0.79 (demo/README-demo.md); the target alone ended the demo as soon as the last streamed example was trained
     * on.
     */
    static final Duration CONSOLIDATION_BUDGET = Duration.ofSeconds(45);
    /**
     * The launcher reports this long after the first query at the latest, whenever the student serves a gated
     * checkpoint by then: the consolidation wait ends, and a final round the trainer has not answered yet (it answers
     * once it has caught up with the stream) is no longer waited for. Why: the stream alone takes 170 s at 50
     * queries/s (8,485 queries), the services take ~20 s to start before it, the checks after the wait 20-25 s and
     * stopping everything ~5 s; on the 2-core machine of stop 20 the trainer caught up with the stream 60 s after it
     * ended, and waiting for that (and then for consolidation until 240 s, the earlier bound) took the whole command to
     * 304 s. The trainer goes on training meanwhile: without {@code --exit} the student keeps receiving its
     * checkpoints.
     */
    static final Duration REPORT_BY = Duration.ofSeconds(220);
    /**
     * A stream longer than the built-in one (a large {@code --queries} file) ends after {@link #REPORT_BY}: the final
     * round still gets this long from the teacher's last answer before the deadline applies.
     */
    static final Duration FINAL_ROUND_AT_LEAST = Duration.ofSeconds(45);
    /** No new consolidation round for this long: the trainer's patience ran out (or it is stuck); stop waiting. */
    static final Duration CONSOLIDATION_QUIET = Duration.ofSeconds(15);

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
        RunFailed(String message) {
            super(message);
        }
    }

    /** A forced round: in flight until {@code endedNanos} is set; {@code answer} is null when it failed. */
    private record Round(CompletableFuture<JsonNode> request, JsonNode answer, long endedNanos) {

        boolean inFlight() {
            return endedNanos < 0;
        }
    }

    /** The best served held-out agreement so far and how many decided rounds since did not beat it. */
    private record Patience(double best, int roundsWithoutGain) {

        static final Patience START = new Patience(-1, 0);

        Patience after(double agreement) {
            return agreement > best ? new Patience(agreement, 0) : new Patience(best, roundsWithoutGain + 1);
        }

        boolean exhausted() {
            return roundsWithoutGain >= PATIENCE_ROUNDS;
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

    /**
     * The run in its phases: stream the queries until the teacher answered them all, then forced rounds until the
     * served checkpoint settles it (target reached, or no gain for {@link #PATIENCE_ROUNDS} rounds), or the
     * deadline passes. The caller reports the {@link Outcome}.
     */
    public Outcome run(List<String> queries, String source, double ratePerSecond, Duration timeout,
            double targetAgreement) throws RunFailed, InterruptedException {
        TopicCounter counter = pipeline.attach(TopicCounter.startAtEnd(pipeline.bootstrapServers()));
        out.printf(Locale.ROOT, "%s streaming %d queries (%s) into distill.queries at %s%n", clock.stamp(),
                queries.size(), source, ratePerSecond > 0 ? String.format(Locale.ROOT, "%.0f/s", ratePerSecond) : "full speed");
        QueryStream stream = pipeline.attach(
                QueryStream.start(pipeline.bootstrapServers(), QueryStream.newRunId(), queries, ratePerSecond));
        PipelineWatch watch = new PipelineWatch(pipeline, stream, counter, queries.size(), timeout, out, clock, http);
        try {
            Look teacherDone = streamUntilTeacherDone(watch);
            return forceRoundsUntilSettled(watch, teacherDone, targetAgreement);
        } catch (PipelineWatch.TimedOut timedOut) {
            return timedOut.outcome;
        } finally {
            stream.close();
        }
    }

    /** Streaming: the teacher labels, the trainer takes its regular rounds, until every query is answered. */
    private static Look streamUntilTeacherDone(PipelineWatch watch)
            throws RunFailed, PipelineWatch.TimedOut, InterruptedException {
        Look look = watch.poll();
        while (!watch.teacherDone()) {
            watch.pause(look);
            look = watch.poll();
        }
        return look;
    }

    /**
     * Forced rounds, one at a time. A round that failed, found no gated checkpoint or saw the trainer still catching
     * up is asked again after {@link #RETRY_FORCE}; one that accounted for every labeled example is decided once the
     * student serves its checkpoint: settled when its agreement reaches the target or patience runs out, else
     * another round.
     */
    private Outcome forceRoundsUntilSettled(PipelineWatch watch, Look look, double target)
            throws RunFailed, PipelineWatch.TimedOut, InterruptedException {
        Patience patience = Patience.START;
        long streamEnded = look.now();
        Round round = ask(watch, look, FIRST_ROUND);
        while (true) {
            watch.pause(look);
            look = watch.poll();
            // Checked while a round is still in flight too: the trainer answers it only once it has caught up.
            Double servedAgreement = look.status().studentCheckpointAgreement();
            if (reportDue(look.now(), watch.firstQueryNanos(), streamEnded, servedAgreement)) {
                out.printf(Locale.ROOT, "%s %d s after the first query: reporting the checkpoint the student serves"
                        + " (v%s, held-out %.3f when published) while the trainer goes on%n", clock.stamp(),
                        REPORT_BY.toSeconds(), look.status().studentCheckpointVersion(), servedAgreement);
                return watch.outcome(look, !(servedAgreement < target));
            }
            if (round.inFlight()) {
                if (!round.request().isDone()) {
                    continue;
                }
                round = answered(round, look.now());
                if (round.answer() != null) {
                    look = look.withTrainer(round.answer());
                }
            }
            JsonNode answer = round.answer();
            boolean retryDue = look.now() - round.endedNanos() >= RETRY_FORCE.toNanos();
            PipelineStatus afterForce = answer == null || !answer.isObject() ? null
                    : PipelineStatus.of(look.sent(), watch.counter(), answer, look.model());
            Long version = afterForce == null ? null : afterForce.trainerCheckpointVersion();
            if (version == null || accounted(answer) < look.status().labeled()) {
                if (retryDue) {
                    round = ask(watch, look, againReason(watch, answer, look, target));
                }
                continue;
            }
            Long served = look.status().studentCheckpointVersion();
            if (served == null || served < version) {
                continue; // the student has not hot-loaded what the round produced yet
            }
            double agreement = afterForce.trainerCheckpointAgreement() == null ? Double.NaN
                    : afterForce.trainerCheckpointAgreement();
            if (!(agreement < target)) {
                return target > 0 ? consolidate(watch, look, agreement) : watch.outcome(look, true);
            }
            patience = patience.after(agreement);
            if (patience.exhausted()) {
                out.printf(Locale.ROOT, "%s held-out agreement stays at %.3f (target %.2f); reporting it%n",
                        clock.stamp(), agreement, target);
                return watch.outcome(look, false);
            }
            round = ask(watch, look, againReason(watch, answer, look, target));
        }
    }

    /**
     * After the target: the stream is idle, so the trainer runs consolidation rounds over its replay buffer on its
     * own, and its gate publishes any that beats the served checkpoint on the held-out slice (in agreement, or in the
     * cascade's calibrated coverage at about the same agreement). No round is forced here
     * (a forced round keeps training until one beats the last checkpoint, however long that takes). Waits until the
     * trainer's consolidation rounds stop ({@link #CONSOLIDATION_QUIET} without a new one) or
     * {@link #CONSOLIDATION_BUDGET} is spent or {@link #REPORT_BY} has come, then until the student serves
     * the trainer's latest checkpoint.
     */
    private Outcome consolidate(PipelineWatch watch, Look look, double agreement)
            throws RunFailed, PipelineWatch.TimedOut, InterruptedException {
        ConsolidationWait wait = new ConsolidationWait(look.now(), consolidationRounds(look), CONSOLIDATION_BUDGET,
                CONSOLIDATION_QUIET, reportDeadline(watch.firstQueryNanos()));
        out.printf(Locale.ROOT, "%s target reached (%.3f); waiting up to %d s while the trainer consolidates over its"
                + " replay buffer (a round that beats the served checkpoint, in agreement or cascade coverage, is"
                + " published)%n", clock.stamp(), agreement,
                wait.secondsLeft(look.now()));
        do {
            watch.pause(look);
            look = watch.poll();
        } while (!wait.over(look.now(), consolidationRounds(look)));
        long settle = look.now() + CONSOLIDATION_QUIET.toNanos();
        while (look.now() < settle && !servesLatest(look)) {
            watch.pause(look);
            look = watch.poll();
        }
        out.printf(Locale.ROOT, "%s consolidation: %d rounds; the student serves v%s%n", clock.stamp(),
                Math.max(0, wait.rounds()), look.status().studentCheckpointVersion());
        return watch.outcome(look, true);
    }

    /**
     * Whether to stop waiting for the trainer and report: {@link #REPORT_BY} after the first query has come, and at
     * least {@link #FINAL_ROUND_AT_LEAST} since the teacher answered the last query, and the student serves a gated
     * checkpoint ({@code servedAgreement} is its held-out agreement, null when it serves none).
     */
    static boolean reportDue(long nowNanos, long firstQueryNanos, long streamEndedNanos, Double servedAgreement) {
        return servedAgreement != null && nowNanos >= reportDeadline(firstQueryNanos)
                && nowNanos - streamEndedNanos >= FINAL_ROUND_AT_LEAST.toNanos();
    }

    /** {@link #REPORT_BY} after the first query; never while no query was sent ({@code firstQueryNanos} -1). */
    private static long reportDeadline(long firstQueryNanos) {
        return firstQueryNanos < 0 ? Long.MAX_VALUE : firstQueryNanos + REPORT_BY.toNanos();
    }

    private static long consolidationRounds(Look look) {
        return look.trainer() == null ? -1 : look.trainer().path("consolidationRounds").asLong(-1);
    }

    private static boolean servesLatest(Look look) {
        Long trainer = look.status().trainerCheckpointVersion();
        Long served = look.status().studentCheckpointVersion();
        return trainer == null || (served != null && served >= trainer);
    }

    /** {@code POST /v1/trainer/checkpoint}, which the trainer answers after taking in everything queued. */
    private Round ask(PipelineWatch watch, Look look, String why) {
        out.printf("%s %s (POST /v1/trainer/checkpoint)%n", clock.stamp(), why);
        long left = Math.max(Duration.ofSeconds(10).toNanos(), watch.nanosLeft(look.now()));
        return new Round(http.postAsync(watch.trainerUrl() + "/v1/trainer/checkpoint", null, Duration.ofNanos(left)),
                null, -1);
    }

    private Round answered(Round round, long now) {
        try {
            return new Round(round.request(), round.request().join(), now);
        } catch (RuntimeException e) {
            out.printf("%s warning: POST /v1/trainer/checkpoint failed: %s%n", clock.stamp(), rootMessage(e));
            return new Round(round.request(), null, now);
        }
    }

    /** Why the last round's answer calls for another one. */
    private static String againReason(PipelineWatch watch, JsonNode answer, Look look, double target) {
        if (answer == null) {
            return "asking the trainer again";
        }
        if (PipelineStatus.of(look.sent(), watch.counter(), answer, look.model()).trainerCheckpointVersion() == null) {
            return "no checkpoint passed the gate yet; asking for another round";
        }
        if (accounted(answer) < look.status().labeled()) {
            return "trainer still catching up; asking for another round";
        }
        return String.format(Locale.ROOT, "agreement below target %.2f; asking for another round", target);
    }

    /** Examples the trainer accounted for: trained on, rejected, or recognised as duplicates. */
    private static long accounted(JsonNode trainer) {
        return trainer.path("examplesSeen").asLong(0) + trainer.path("rejected").asLong(0)
                + trainer.path("duplicates").asLong(0);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof TimeoutException ? "timed out" : String.valueOf(t.getMessage());
    }
}
