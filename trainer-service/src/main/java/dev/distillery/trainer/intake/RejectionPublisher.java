package dev.distillery.trainer.intake;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;

import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Rejected;

/**
 * Sends rejections to {@code distill.rejected} without blocking the consumer thread. Before a checkpoint covers a
 * rejected record's offset, {@link #flush()} makes sure the broker acknowledged the rejection (re-sending failed
 * ones), so a restart that skips covered records never loses one.
 */
public final class RejectionPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RejectionPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ConcurrentLinkedQueue<ProducerRecord<String, byte[]>> failed = new ConcurrentLinkedQueue<>();
    private final AtomicLong published = new AtomicLong();

    public RejectionPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public void publish(Rejected rejected) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, rejected.id(), MessageCodec.encode(rejected));
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                published.incrementAndGet();
            } else if (error instanceof RecordTooLargeException) {
                // Rejections are bounded (Rejected.of), so only a broker limit far under 1 MB gets here: re-sending
                // would fail forever and block every checkpoint behind it.
                LOG.errorf("rejection of %s refused as too large (%d bytes); not re-sent", rejected.id(),
                        record.value().length);
            } else {
                LOG.warnf("rejection of %s not acknowledged yet (%s); re-sent before the next checkpoint",
                        rejected.id(), error.toString());
                failed.add(record);
            }
        });
    }

    /** Waits until every rejection sent so far is acknowledged; re-sends failed ones synchronously. */
    public void flush() throws IOException {
        producer.flush();
        ProducerRecord<String, byte[]> record;
        while ((record = failed.poll()) != null) {
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
                published.incrementAndGet();
            } catch (Exception e) {
                failed.add(record);
                throw new IOException("cannot publish a rejection to " + topic, e);
            }
        }
    }

    public long published() {
        return published.get();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
