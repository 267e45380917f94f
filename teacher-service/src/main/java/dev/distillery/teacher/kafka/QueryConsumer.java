package dev.distillery.teacher.kafka;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.teacher.labeling.Labeler;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.teacher.labeling.QueryDecoder;
import dev.distillery.teacher.labeling.QueryDecoder.Decoded;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes {@code distill.queries}: decode, label, publish the labeled example or the rejection.
 *
 * <p>Concurrency and delivery: the method runs on the {@value #WORKERS} worker pool with {@code ordered = false},
 * so up to {@code smallrye.messaging.worker.teacher-workers.max-concurrency} queries are with the teacher at once
 * (an LLM teacher is latency-bound; the rules teacher overlaps the broker round trips). The method returns only
 * after the output record is acknowledged by the broker; only then is the incoming record acked, and the
 * {@code throttled} commit strategy commits an offset only when every record before it is acked. Out-of-order
 * completion therefore never commits past an unfinished record: at-least-once, duplicates possible, loss not.
 * If the output cannot be published the method throws, the record is nacked and the channel fails (health goes
 * down) instead of skipping it.
 */
@ApplicationScoped
public class QueryConsumer {

    public static final String WORKERS = "teacher-workers";
    private static final Logger LOG = Logger.getLogger(QueryConsumer.class);

    private final QueryDecoder decoder;
    private final Labeler labeler;
    private final OutcomePublisher publisher;

    public QueryConsumer(QueryDecoder decoder, Labeler labeler, OutcomePublisher publisher) {
        this.decoder = decoder;
        this.labeler = labeler;
        this.publisher = publisher;
    }

    @Incoming("queries")
    @Blocking(value = WORKERS, ordered = false)
    public void consume(ConsumerRecord<String, byte[]> record) {
        Outcome outcome;
        try {
            outcome = switch (decoder.decode(record.key(), record.value())) {
                case Decoded q -> labeler.label(q.id(), q.text());
                case Rejection r -> r;
            };
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure on %s-%d@%d; rejected", record.topic(), record.partition(), record.offset());
            String id = record.key() != null ? record.key() : record.topic() + "-" + record.partition() + "@" + record.offset();
            outcome = Rejection.of(RecordId.bounded(id), RejectReason.TEACHER_FAILED, "unexpected failure: " + e);
        }
        if (outcome instanceof Rejection r) {
            LOG.debugf("rejected %s (%s-%d@%d): %s %s", r.id(), record.topic(), record.partition(), record.offset(),
                    r.reason().code(), r.detail());
        }
        publisher.publish(outcome, record.value());
    }
}
