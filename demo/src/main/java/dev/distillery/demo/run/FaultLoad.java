package dev.distillery.demo.run;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;


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

    public static Properties producerProperties(String bootstrapServers) {
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
