package dev.distillery.teacher.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.distillery.http.ApiException;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Query;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.teacher.labeling.Outcome.Labeled;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import dev.distillery.teacher.metrics.TeacherMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Writes outcomes to {@code distill.labeled} / {@code distill.rejected} and HTTP-submitted queries to
 * {@code distill.queries}, keyed by id. {@link #publish} returns only once the broker has acknowledged the record
 * (the consumer commits the query's offset only after that), and it has no deadline: while the broker is away it
 * retries with backoff until the broker is back, however long that takes, and {@link PublishHealth} reports
 * not-ready meanwhile. Only two things end a publish without the record on the broker: a record the producer refuses
 * as too large (it becomes a {@code record-too-large} rejection, which is small by construction) and the service
 * shutting down (the query is then read again after the restart).
 */
@ApplicationScoped
public class OutcomePublisher {

    public static final String STAGE = "teacher";
    private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);
    /** An HTTP submitter gets an answer (503) rather than waiting out an outage; Kafka queries wait without limit. */
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Payload kept when even a bounded rejection is refused (a broker configured with a small message limit). */
    private static final int LAST_RESORT_PAYLOAD = 1024;

    private final MutinyEmitter<byte[]> labeled;
    private final MutinyEmitter<byte[]> rejected;
    private final MutinyEmitter<byte[]> queries;
    private final TeacherMetrics metrics;
    private final PublishHealth health;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopping;

    public OutcomePublisher(
            @Channel("labeled") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> labeled,
            @Channel("rejected") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> rejected,
            @Channel("queries-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> queries,
            TeacherMetrics metrics, @Readiness PublishHealth health) {
        this.labeled = labeled;
        this.rejected = rejected;
        this.queries = queries;
        this.metrics = metrics;
        this.health = health;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Publishes one outcome and returns once the broker has it; {@code original} is the record value as received. */
    public void publish(Outcome outcome, byte[] original) {
        switch (outcome) {
            case Labeled l -> {
                byte[] value = MessageCodec.encode(l.example());
                if (sendUntilAcknowledged(labeled, l.id(), value)) {
                    metrics.labeled(l.example().label());
                } else {
                    publishRejection(Rejection.of(l.id(), RejectReason.RECORD_TOO_LARGE, "the labeled example is "
                            + value.length + " bytes; the producer or broker refused it as too large"), original);
                }
            }
            case Rejection r -> publishRejection(r, original);
        }
    }

    private void publishRejection(Rejection r, byte[] original) {
        Rejected message = Rejected.of(r.id(), STAGE, r.reason(), r.detail(), original, clock.instant());
        RejectReason reason = r.reason();
        if (!sendUntilAcknowledged(rejected, message.id(), MessageCodec.encode(message))) {
            reason = RejectReason.RECORD_TOO_LARGE;
            Rejected small = Rejected.of(r.id(), STAGE, reason, "the rejection (" + r.reason().code()
                    + ") was refused as too large; kept with a shorter payload: " + r.detail(), original,
                    clock.instant(), LAST_RESORT_PAYLOAD);
            if (!sendUntilAcknowledged(rejected, small.id(), MessageCodec.encode(small))) {
                // Only a broker limit under a few KB gets here; stopping the partition for it would be worse.
                LOG.errorf("rejection of %s refused as too large even with %d payload bytes; skipped", small.id(),
                        LAST_RESORT_PAYLOAD);
            }
        }
        metrics.rejected(reason);
    }

    /**
     * Sends until the broker acknowledges (true) or the record is refused as too large (false, never retried).
     * Every other failure (delivery timeout, broker unreachable, metadata unavailable) is retried with backoff.
     */
    private boolean sendUntilAcknowledged(MutinyEmitter<byte[]> emitter, String key, byte[] value) {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            long token = health.sending();
            try {
                emitter.sendMessage(KafkaRecord.of(key, value)).await().indefinitely();
                health.acknowledged(token);
                if (attempt > 1) {
                    LOG.infof("record %s published after %d attempts", key, attempt);
                }
                return true;
            } catch (RuntimeException e) {
                if (tooLarge(e)) {
                    health.ended(token);
                    LOG.warnf("record %s (%d bytes) refused as too large: %s", key, value.length, e.toString());
                    return false;
                }
                health.failed(token, e.toString());
                if (stopping) {
                    throw new IllegalStateException("shutting down before " + key + " was published; the query "
                            + "is read again after the restart", e);
                }
                if (attempt == 1 || attempt % 20 == 0) {
                    LOG.warnf("publishing %s failed (attempt %d: %s); retrying until the broker takes it", key,
                            attempt, e.toString());
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    /** Publishes queries to distill.queries and waits for all acknowledgements (503 when the broker is away). */
    public void submit(List<Query> batch) {
        List<Uni<Void>> sends = new ArrayList<>(batch.size());
        for (Query q : batch) {
            sends.add(queries.sendMessage(KafkaRecord.of(q.id(), MessageCodec.encode(q))));
        }
        try {
            Uni.join().all(sends).andFailFast().await().atMost(SUBMIT_TIMEOUT);
        } catch (TimeoutException e) {
            throw new ApiException(503, "broker-unavailable", "the broker did not acknowledge the queries within "
                    + SUBMIT_TIMEOUT.toSeconds() + " s; some may have been published: retry later");
        } catch (RuntimeException e) {
            throw new ApiException(503, "broker-unavailable", "the broker did not take the queries (" + e
                    + "); some may have been published: retry later");
        }
    }
}
