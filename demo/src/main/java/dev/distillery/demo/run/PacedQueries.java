package dev.distillery.demo.run;

import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Query;

/**
 * Sends texts to {@code distill.queries} as JSON {@link Query} records keyed by {@code <prefix>-<i>}, spread evenly
 * over time (the demo's stream and the fault suite's load both do), then flushes.
 */
public final class PacedQueries {

    private PacedQueries() {
    }

    /**
     * @param ratePerSecond queries per second; 0 or less sends as fast as the producer goes
     * @param stopped       checked before each query: sending ends early once it is true
     * @param acked         receives the id of each query the broker acknowledged
     * @param failed        receives each send failure
     */
    static void send(KafkaProducer<String, byte[]> producer, String prefix, List<String> texts, double ratePerSecond,
            BooleanSupplier stopped, Consumer<String> acked, Consumer<Exception> failed) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < texts.size() && !stopped.getAsBoolean(); i++) {
            if (ratePerSecond > 0) {
                long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            String id = prefix + "-" + i;
            producer.send(new ProducerRecord<>(Topics.QUERIES, id,
                    MessageCodec.encode(Query.of(id, texts.get(i), Instant.now()))), (metadata, e) -> {
                        if (e == null) {
                            acked.accept(id);
                        } else {
                            failed.accept(e);
                        }
                    });
        }
        producer.flush();
    }
}
