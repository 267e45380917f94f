package dev.distillery.demo.run;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

import dev.distillery.kafka.KafkaClients;

/**
 * Queries streamed into {@code distill.queries} at a steady rate for a fault scenario, each with its own id. Unlike
 * the demo's stream, its producer waits out a broker outage (10-minute delivery timeout), and it remembers exactly
 * which ids the broker acknowledged: those are the ones that must come out labeled or rejected.
 */
public final class FaultLoad implements AutoCloseable {

    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    private FaultLoad(String bootstrapServers, String prefix, List<String> texts, double ratePerSecond) {
        this.thread = new Thread(() -> produce(bootstrapServers, prefix, texts, ratePerSecond), "fault-load");
        this.thread.setDaemon(true);
    }

    public static FaultLoad start(String bootstrapServers, String prefix, List<String> texts, double ratePerSecond) {
        FaultLoad load = new FaultLoad(bootstrapServers, prefix, texts, ratePerSecond);
        load.thread.start();
        return load;
    }

    /** A producer that keeps retrying through a broker outage (10 min) and may send the suite's 900 KB poison record. */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaClients(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024))).producer("distillery-faults");
    }

    private void produce(String bootstrapServers, String prefix, List<String> texts, double ratePerSecond) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers)) {
            PacedQueries.send(producer, prefix, texts, ratePerSecond, () -> stop, acked::add,
                    e -> failure.compareAndSet(null, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits until every query is sent and acknowledged (or failed). */
    public void await() throws InterruptedException {
        thread.join();
    }

    public Set<String> acked() {
        return Set.copyOf(acked);
    }

    public Throwable failure() {
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
