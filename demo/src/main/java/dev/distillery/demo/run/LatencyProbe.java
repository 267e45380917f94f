package dev.distillery.demo.run;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distillery.demo.process.HttpJson;

/** Measures the student's {@code POST /v1/classify} from the client side: sequential latency and concurrent throughput. */
public final class LatencyProbe {

    /** Latency percentiles in milliseconds over {@code samples} sequential calls. */
    public record Latency(double p50Ms, double p99Ms, int samples) {
    }

    private LatencyProbe() {
    }

    public static Latency sequential(HttpJson http, String studentUrl, List<String> texts, int warmup, int samples)
            throws IOException, InterruptedException {
        String url = studentUrl + "/v1/classify";
        for (int i = 0; i < warmup; i++) {
            http.post(url, studentOnly(texts.get(i % texts.size())), Duration.ofSeconds(30));
        }
        double[] millis = new double[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            http.post(url, studentOnly(texts.get(i % texts.size())), Duration.ofSeconds(30));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return new Latency(percentile(millis, 50), percentile(millis, 99), samples);
    }

    /** Classify calls per second with {@code concurrency} clients, {@code total} calls in all. */
    public static double throughput(HttpJson http, String studentUrl, List<String> texts, int concurrency, int total)
            throws InterruptedException {
        String url = studentUrl + "/v1/classify";
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        try {
                            http.post(url, studentOnly(texts.get(i % texts.size())), Duration.ofSeconds(30));
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            System.err.println("warning: " + failures.get() + " of " + total + " classify calls failed");
        }
        return (total - failures.get()) / seconds;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The student's own latency: under the cascade an unsure answer would include a teacher call. */
    static Map<String, String> studentOnly(String text) {
        return Map.of("text", text, "policy", "student");
    }
}
