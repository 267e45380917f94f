package dev.distillery.student.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.distillery.model.GradMode;
import dev.distillery.model.Prediction;
import dev.distillery.student.config.StudentConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;

/**
 * Coalesces concurrent requests into one forward pass on a single dedicated worker thread: it takes the first queued
 * request, then keeps adding requests until the batch holds {@code max-batch} texts or {@code max-wait} has passed.
 * The wait only applies under concurrency (the previous pass held more than one request), so a lone request on an
 * idle service goes straight to the model; under load, requests queue during each pass and the next one takes them.
 * A request's texts are never split, so every answer of a request comes from the same model version. The worker
 * thread never records gradients, and the model releases each batch's native memory before returning.
 */
@ApplicationScoped
public class MicroBatcher {

    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    private final ModelSlots slots;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int maxQueue;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedTexts = new AtomicInteger();
    private final DistributionSummary batchSizes;
    private final Timer forwardTimer;
    private final Timer queueTimer;
    private volatile boolean running = true;
    private volatile Thread worker;
    /** A request taken from the queue that did not fit in the batch being built; it opens the next one. */
    private Job carried;
    /** Requests in the previous forward pass; worker thread only. */
    private int lastBatchRequests;

    @jakarta.inject.Inject
    public MicroBatcher(ModelSlots slots, StudentConfig config, MeterRegistry registry) {
        this(slots, config.student().maxBatch(), config.student().maxWait(), config.student().maxQueue(), registry);
    }

    MicroBatcher(ModelSlots slots, int maxBatch, java.time.Duration maxWait, int maxQueue, MeterRegistry registry) {
        this.slots = slots;
        this.maxBatch = Math.max(1, maxBatch);
        this.maxWaitNanos = Math.max(0, maxWait.toNanos());
        this.maxQueue = Math.max(this.maxBatch, maxQueue);
        this.batchSizes = DistributionSummary.builder("distillery.student.batch.size")
                .description("Texts per forward pass").publishPercentileHistogram().register(registry);
        this.forwardTimer = Timer.builder("distillery.student.forward")
                .description("Forward pass time per batch").publishPercentileHistogram().register(registry);
        this.queueTimer = Timer.builder("distillery.student.queue.wait")
                .description("Time a request waited for its forward pass to start").register(registry);
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void start() {
        worker = Thread.ofPlatform().name("student-batcher").daemon().start(this::run);
    }

    /** The worker thread is alive (false before start and after shutdown). */
    public boolean isRunning() {
        Thread t = worker;
        return t != null && t.isAlive();
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Queues texts (at most {@code max-batch}) for the next forward pass.
     *
     * @return completes with the predictions in order, or exceptionally with {@link ModelNotReadyException},
     *         {@link OverloadedException} or {@link InferenceException}
     */
    public CompletableFuture<Inference> submit(List<String> texts) {
        if (texts.isEmpty() || texts.size() > maxBatch) {
            throw new IllegalArgumentException("a request holds 1.." + maxBatch + " texts, got " + texts.size());
        }
        if (slots.current().isEmpty()) {
            return CompletableFuture.failedFuture(new ModelNotReadyException("no model loaded yet"));
        }
        if (!running) {
            return CompletableFuture.failedFuture(new ModelNotReadyException("the service is shutting down"));
        }
        if (queuedTexts.addAndGet(texts.size()) > maxQueue) {
            queuedTexts.addAndGet(-texts.size());
            return CompletableFuture.failedFuture(new OverloadedException(
                    "more than " + maxQueue + " texts are waiting for the model; retry later"));
        }
        Job job = new Job(List.copyOf(texts), new CompletableFuture<>(), System.nanoTime());
        queue.add(job);
        return job.result;
    }

    private void run() {
        GradMode.offForThisThread("batcher");
        while (running) {
            List<Job> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                break;
            }
            try {
                answer(batch);
            } catch (RuntimeException | Error e) {
                LOG.error("batcher failed on a batch", e);
                batch.forEach(job -> job.result.completeExceptionally(new InferenceException("forward pass failed", e)));
            }
        }
        failRemaining();
    }

    private List<Job> nextBatch() throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        Job first = carried != null ? carried : queue.take();
        carried = null;
        batch.add(first);
        int texts = first.texts.size();
        // Waiting only pays when requests arrive concurrently: after a lone request, answer the next one at once.
        long deadline = System.nanoTime() + (lastBatchRequests > 1 ? maxWaitNanos : 0);
        while (texts < maxBatch) {
            Job next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
            }
            if (texts + next.texts.size() > maxBatch) {
                carried = next;
                break;
            }
            batch.add(next);
            texts += next.texts.size();
        }
        queuedTexts.addAndGet(-texts);
        lastBatchRequests = batch.size();
        return batch;
    }

    private void answer(List<Job> batch) {
        long start = System.nanoTime();
        batch.forEach(job -> queueTimer.record(start - job.enqueuedNanos, TimeUnit.NANOSECONDS));
        var lease = slots.acquire();
        if (lease.isEmpty()) {
            batch.forEach(job -> job.result.completeExceptionally(new ModelNotReadyException("no model loaded yet")));
            return;
        }
        try (ModelLease held = lease.get()) {
            List<String> texts = new ArrayList<>();
            batch.forEach(job -> texts.addAll(job.texts));
            List<Prediction> predictions;
            try {
                predictions = held.served().model().predict(texts);
            } catch (RuntimeException e) {
                if (batch.size() == 1) {
                    throw e;
                }
                // One bad request must not fail the others it was batched with: answer each on its own.
                LOG.warnf(e, "forward pass over %d requests failed; retrying them one by one", batch.size());
                for (Job job : batch) {
                    answerAlone(job, held.served());
                }
                return;
            }
            forwardTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchSizes.record(texts.size());
            int offset = 0;
            for (Job job : batch) {
                List<Prediction> own = predictions.subList(offset, offset + job.texts.size());
                offset += job.texts.size();
                job.result.complete(new Inference(List.copyOf(own), held.served().version(), texts.size()));
            }
        }
    }

    private void answerAlone(Job job, ServedModel served) {
        try {
            List<Prediction> predictions = served.model().predict(job.texts);
            batchSizes.record(job.texts.size());
            job.result.complete(new Inference(predictions, served.version(), job.texts.size()));
        } catch (RuntimeException e) {
            job.result.completeExceptionally(new InferenceException("forward pass failed", e));
        }
    }

    private void failRemaining() {
        List<Job> left = new ArrayList<>();
        if (carried != null) {
            left.add(carried);
            carried = null;
        }
        queue.drainTo(left);
        left.forEach(job -> job.result.completeExceptionally(new ModelNotReadyException("the service is shutting down")));
    }

    @PreDestroy
    void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Job(List<String> texts, CompletableFuture<Inference> result, long enqueuedNanos) {
    }
}
