package dev.distillery.demo;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Query;

/**
 * Queries streamed into {@code distill.queries} at a steady rate for a fault scenario, each with its own id. Unlike
 * the demo's stream, its producer waits out a broker outage (10-minute delivery timeout), and it remembers exactly
 * which ids the broker acknowledged: those are the ones that must come out labeled or rejected.
 */
final class FaultLoad implements AutoCloseable {

    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    private FaultLoad(String bootstrapServers, String prefix, List<String> texts, double ratePerSecond) {
        this.thread = new Thread(() -> produce(bootstrapServers, prefix, texts, ratePerSecond), "fault-load");
        this.thread.setDaemon(true);
    }

    static FaultLoad start(String bootstrapServers, String prefix, List<String> texts, double ratePerSecond) {
        FaultLoad load = new FaultLoad(bootstrapServers, prefix, texts, ratePerSecond);
        load.thread.start();
        return load;
    }

    static Properties producerProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "distillery-faults");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
        return props;
    }

    private void produce(String bootstrapServers, String prefix, List<String> texts, double ratePerSecond) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < texts.size() && !stop; i++) {
                long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String id = prefix + "-" + i;
                producer.send(new ProducerRecord<>(Topics.QUERIES, id,
                        MessageCodec.encode(Query.of(id, texts.get(i), Instant.now()))), (metadata, e) -> {
                            if (e == null) {
                                acked.add(id);
                            } else {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits until every query is sent and acknowledged (or failed). */
    void await() throws InterruptedException {
        thread.join();
    }

    Set<String> acked() {
        return Set.copyOf(acked);
    }

    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
