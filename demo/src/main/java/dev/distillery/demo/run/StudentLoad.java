package dev.distillery.demo.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.HttpJson;

/**
 * Closed-loop HTTP load on the student's {@code /v1/classify} for a fault scenario: a few client threads, each
 * sending its next request when the last one answered. Counts answers, failed requests (any non-200 or I/O error,
 * with the first message kept) and the checkpoint versions that answered.
 */
public final class StudentLoad implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Set<Long> versions = ConcurrentHashMap.newKeySet();
    private volatile String firstFailure;
    private volatile boolean stop;

    private StudentLoad() {
    }

    public static StudentLoad start(String baseUrl, List<String> texts, int clients) {
        StudentLoad load = new StudentLoad();
        HttpJson http = new HttpJson();
        for (int c = 0; c < clients; c++) {
            int offset = c;
            Thread t = new Thread(() -> {
                for (int i = offset; !load.stop; i += clients) {
                    String text = texts.get(i % texts.size());
                    try {
                        JsonNode answer = http.post(baseUrl + "/v1/classify", Map.of("text", text),
                                Duration.ofSeconds(10));
                        load.ok.incrementAndGet();
                        load.versions.add(answer.path("checkpoint").asLong(-1));
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        load.failed.incrementAndGet();
                        if (load.firstFailure == null) {
                            load.firstFailure = e.toString();
                        }
                        sleepQuietly(); // a dead student answers at once: do not spin
                    }
                }
            }, "student-load-" + c);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long ok() {
        return ok.get();
    }

    public long failed() {
        return failed.get();
    }

    public String firstFailure() {
        return firstFailure;
    }

    public Set<Long> versions() {
        return Set.copyOf(versions);
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
