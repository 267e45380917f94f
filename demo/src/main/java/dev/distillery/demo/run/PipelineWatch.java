package dev.distillery.demo.run;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.Clock;
import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.process.Pipeline;
import dev.distillery.demo.process.ServiceProcess;
import dev.distillery.demo.run.DistillationRun.Outcome;
import dev.distillery.demo.run.DistillationRun.RunFailed;

/**
 * How a {@link DistillationRun} sees the pipeline: one {@link Look} per poll, the milestones it prints once (all
 * queries sent, first gated checkpoint served, teacher done), a status line every few seconds, and the deadline,
 * checked between polls. The milestones are the only state it keeps; they go into the run's {@link Outcome}.
 */
final class PipelineWatch {

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    static final Duration POLL_EVERY = Duration.ofMillis(1000);

    /** One poll: the counts on the topics, {@code GET /v1/trainer} and {@code GET /v1/model} (null: no answer). */
    record Look(long now, long sent, PipelineStatus status, JsonNode trainer, JsonNode model) {

        /** A forced round's answer is fresher than the trainer's status (which can lag while it is busy). */
        Look withTrainer(JsonNode answer) {
            return new Look(now, sent, status, answer, model);
        }
    }

    /** The deadline passed while the student serves a gated checkpoint: the run reports that one. */
    static final class TimedOut extends Exception {
        final transient Outcome outcome;

        TimedOut(Outcome outcome) {
            super("timed out", null, false, false);
            this.outcome = outcome;
        }
    }

    private final Pipeline pipeline;
    private final QueryStream stream;
    private final TopicCounter counter;
    private final int queries;
    private final PrintStream out;
    private final Clock clock;
    private final HttpJson http;
    private final Duration timeout;
    private final long deadline;
    private final String trainerUrl;
    private final String studentUrl;

    private boolean streamedNoted;
    private long firstServedNanos = -1;
    private long teacherDoneNanos = -1;
    private long nextProgressNanos;

    PipelineWatch(Pipeline pipeline, QueryStream stream, TopicCounter counter, int queries, Duration timeout,
            PrintStream out, Clock clock, HttpJson http) {
        this.pipeline = pipeline;
        this.stream = stream;
        this.counter = counter;
        this.queries = queries;
        this.out = out;
        this.clock = clock;
        this.http = http;
        this.timeout = timeout;
        this.nextProgressNanos = System.nanoTime();
        this.deadline = nextProgressNanos + timeout.toNanos();
        this.trainerUrl = pipeline.service(ServiceProcess.Kind.TRAINER).baseUrl();
        this.studentUrl = pipeline.service(ServiceProcess.Kind.STUDENT).baseUrl();
    }

    String trainerUrl() {
        return trainerUrl;
    }

    TopicCounter counter() {
        return counter;
    }

    boolean teacherDone() {
        return teacherDoneNanos >= 0;
    }

    /** When the first query was sent (System.nanoTime()). */
    long firstQueryNanos() {
        return stream.firstSentNanos();
    }

    /** Nanoseconds left before the deadline (negative once past). */
    long nanosLeft(long now) {
        return deadline - now;
    }

    /** Looks at the pipeline; a dead process or a failed producer ends the run. */
    Look poll() throws RunFailed {
        String dead = pipeline.deadProcess();
        if (dead != null) {
            throw new RunFailed(dead);
        }
        if (stream.failure() != null) {
            throw new RunFailed("producing to distill.queries failed: " + stream.failure());
        }
        JsonNode trainer = tryGet(trainerUrl + "/v1/trainer");
        JsonNode model = tryGet(studentUrl + "/v1/model");
        long sent = stream.done() ? stream.sent() : queries;
        PipelineStatus status = PipelineStatus.of(sent, counter, trainer, model);
        Look look = new Look(System.nanoTime(), sent, status, trainer, model);
        noteMilestones(look);
        if (look.now() >= nextProgressNanos) {
            out.println(ProgressLine.format(clock.elapsedSeconds(), status));
            nextProgressNanos = look.now() + PROGRESS_EVERY.toNanos();
        }
        return look;
    }

    private void noteMilestones(Look look) {
        PipelineStatus status = look.status();
        if (stream.done() && !streamedNoted) {
            streamedNoted = true;
            out.printf("%s all %d queries are on distill.queries%n", clock.stamp(), stream.sent());
        }
        if (firstServedNanos < 0 && status.studentCheckpointVersion() != null) {
            firstServedNanos = look.now();
            out.printf(Locale.ROOT, "%s student serves its first gated checkpoint v%d, %.1f s after the first query%n",
                    clock.stamp(), status.studentCheckpointVersion(), (look.now() - stream.firstSentNanos()) / 1e9);
        }
        if (teacherDoneNanos < 0 && stream.done() && status.teacherDone()) {
            teacherDoneNanos = look.now();
            out.printf("%s teacher answered every query: %d labeled, %d rejected%n", clock.stamp(),
                    status.labeled(), status.rejected());
        }
    }

    /**
     * Between two polls: past the deadline the run reports the checkpoint the student serves, or fails when it
     * serves none; else waits {@link #POLL_EVERY}.
     */
    void pause(Look look) throws RunFailed, TimedOut, InterruptedException {
        if (look.now() > deadline) {
            if (look.status().studentCheckpointVersion() != null) {
                out.printf("%s timeout (%d s) reached; reporting the checkpoint the student serves%n",
                        clock.stamp(), timeout.toSeconds());
                throw new TimedOut(outcome(look, false));
            }
            throw new RunFailed("no gated checkpoint served within " + timeout.toSeconds()
                    + " s; last status: " + ProgressLine.format(clock.elapsedSeconds(), look.status()));
        }
        Thread.sleep(POLL_EVERY.toMillis());
    }

    /** The run as it stands at {@code look}. */
    Outcome outcome(Look look, boolean targetReached) {
        return new Outcome(stream.sent(), look.status(), look.trainer(), look.model(), stream.firstSentNanos(),
                stream.firstSentEpochMs(), firstServedNanos, teacherDoneNanos, look.now(), targetReached, counter);
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
}
