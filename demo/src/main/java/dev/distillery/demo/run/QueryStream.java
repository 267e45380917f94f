package dev.distillery.demo.run;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;

import dev.distillery.kafka.KafkaClients;
import dev.distillery.messages.Query;

/**
 * Streams queries into {@code distill.queries} as JSON {@link Query} records keyed by id, on a background thread,
 * at a steady rate: traffic arrives over time, and the trainer takes a round per batch of new examples rather than
 * one round over everything at once.
 */
public final class QueryStream implements AutoCloseable {

    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean done;
    private volatile boolean stop;
    private volatile long firstSentNanos = -1;
    private volatile long firstSentEpochMs = -1;
    private final int total;

    private QueryStream(String bootstrapServers, String runId, List<String> texts, double ratePerSecond) {
        this.total = texts.size();
        this.thread = new Thread(() -> produce(bootstrapServers, runId, texts, ratePerSecond), "query-stream");
        this.thread.setDaemon(true);
    }

    /** @param ratePerSecond queries per second; 0 or less sends as fast as the producer goes */
    public static QueryStream start(String bootstrapServers, String runId, List<String> texts, double ratePerSecond) {
        QueryStream stream = new QueryStream(bootstrapServers, runId, texts, ratePerSecond);
        stream.thread.start();
        return stream;
    }

    public static String newRunId() {
        return "demo-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void produce(String bootstrapServers, String runId, List<String> texts, double ratePerSecond) {
        try (KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrapServers).producer("distillery-demo")) {
            firstSentNanos = System.nanoTime();
            firstSentEpochMs = System.currentTimeMillis();
            PacedQueries.send(producer, runId, texts, ratePerSecond, () -> stop, id -> sent.incrementAndGet(),
                    e -> failure.compareAndSet(null, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            done = true;
        }
    }

    /** Queries acknowledged by the broker so far. */
    long sent() {
        return sent.get();
    }

    int total() {
        return total;
    }

    boolean done() {
        return done;
    }

    /** The first send error, or null. */
    Throwable failure() {
        return failure.get();
    }

    long firstSentNanos() {
        return firstSentNanos;
    }

    long firstSentEpochMs() {
        return firstSentEpochMs;
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
