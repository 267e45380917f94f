package dev.distillery.teacher.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Query;
import dev.distillery.messages.Rejected;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.teacher.labeling.Outcome.Labeled;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import dev.distillery.teacher.metrics.TeacherMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Writes outcomes to {@code distill.labeled} / {@code distill.rejected} and HTTP-submitted queries to
 * {@code distill.queries}, keyed by id. Every send waits for the broker's acknowledgement, so a caller that returns
 * normally knows its record is durable (the consumer commits its offset only after that).
 */
@ApplicationScoped
public class OutcomePublisher {

    public static final String STAGE = "teacher";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Original bytes kept in a rejection, at most. A record near the broker's 1 MB limit would not fit once escaped
     * or base64-encoded, and a rejection that cannot be published would stop the consumer on that record forever.
     */
    static final int MAX_KEPT_PAYLOAD = 256 * 1024;

    private final MutinyEmitter<byte[]> labeled;
    private final MutinyEmitter<byte[]> rejected;
    private final MutinyEmitter<byte[]> queries;
    private final TeacherMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public OutcomePublisher(
            @Channel("labeled") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> labeled,
            @Channel("rejected") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> rejected,
            @Channel("queries-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> queries,
            TeacherMetrics metrics) {
        this.labeled = labeled;
        this.rejected = rejected;
        this.queries = queries;
        this.metrics = metrics;
    }

    /** Publishes one outcome and waits until the broker has it; {@code original} is the record value as received. */
    public void publish(Outcome outcome, byte[] original) {
        switch (outcome) {
            case Labeled l -> {
                labeled.sendMessage(KafkaRecord.of(l.id(), MessageCodec.encode(l.example()))).await().atMost(SEND_TIMEOUT);
                metrics.labeled(l.example().label());
            }
            case Rejection r -> {
                byte[] kept = original;
                String detail = r.detail();
                if (original != null && original.length > MAX_KEPT_PAYLOAD) {
                    kept = java.util.Arrays.copyOf(original, MAX_KEPT_PAYLOAD);
                    detail += " (payload truncated to its first " + MAX_KEPT_PAYLOAD + " of " + original.length + " bytes)";
                }
                Rejected message = Rejected.of(r.id(), STAGE, r.reason(), detail, kept, clock.instant());
                rejected.sendMessage(KafkaRecord.of(r.id(), MessageCodec.encode(message))).await().atMost(SEND_TIMEOUT);
                metrics.rejected(r.reason());
            }
        }
    }

    /** Publishes queries to distill.queries and waits for all acknowledgements. */
    public void submit(List<Query> batch) {
        List<Uni<Void>> sends = new ArrayList<>(batch.size());
        for (Query q : batch) {
            sends.add(queries.sendMessage(KafkaRecord.of(q.id(), MessageCodec.encode(q))));
        }
        Uni.join().all(sends).andFailFast().await().atMost(SEND_TIMEOUT);
    }
}
