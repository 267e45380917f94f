package dev.distillery.student.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Coalescing on a real tiny model. Requests are queued before the worker starts, so which requests share a forward
 * pass is deterministic.
 */
class MicroBatcherTest {

    private static final List<String> LABELS = TaskSpec.languageId().labels();

    private static ModelSlots slotsWithModel(long version) {
        ModelSlots slots = new ModelSlots(new SimpleMeterRegistry());
        slots.install(new ServedModel(StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "cpu", 3),
                version, "sha", Map.of(), Instant.now()));
        return slots;
    }

    @Test
    void queuedRequestsShareForwardPassesOfAtMostMaxBatchTextsWithoutSplittingARequest() throws Exception {
        ModelSlots slots = slotsWithModel(7);
        MicroBatcher batcher = new MicroBatcher(slots, 4, Duration.ofMillis(50), 100, new SimpleMeterRegistry());
        List<CompletableFuture<Inference>> singles = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            singles.add(batcher.submit(List.of("text number " + i)));
        }
        CompletableFuture<Inference> triple = batcher.submit(List.of("a", "b", "c"));
        CompletableFuture<Inference> pair = batcher.submit(List.of("d", "e"));
        batcher.start();
        try {
            // FIFO: [4 singles] [2 singles] (the triple does not fit) [triple] (the pair does not fit) [pair]
            for (int i = 0; i < 4; i++) {
                assertEquals(4, singles.get(i).get(30, TimeUnit.SECONDS).batchTexts());
            }
            assertEquals(2, singles.get(4).get(30, TimeUnit.SECONDS).batchTexts());
            assertEquals(2, singles.get(5).get(30, TimeUnit.SECONDS).batchTexts());
            Inference t = triple.get(30, TimeUnit.SECONDS);
            assertEquals(3, t.predictions().size());
            assertEquals(3, t.batchTexts());
            assertEquals(2, pair.get(30, TimeUnit.SECONDS).predictions().size());
            assertEquals(7L, t.version());
            // Each text's answer is its own: the same text alone gives the same probabilities.
            double alone = batcher.submit(List.of("b")).get(30, TimeUnit.SECONDS).predictions().get(0).probabilities().get(0);
            assertEquals(alone, t.predictions().get(1).probabilities().get(0), 1e-4);
        } finally {
            batcher.stop();
            slots.close();
        }
    }

    @Test
    void withoutAModelRequestsFailFastAndAFullQueueIsRefused() throws Exception {
        ModelSlots empty = new ModelSlots(new SimpleMeterRegistry());
        MicroBatcher none = new MicroBatcher(empty, 4, Duration.ZERO, 4, new SimpleMeterRegistry());
        ExecutionException notReady = assertThrows(ExecutionException.class, () -> none.submit(List.of("x")).get());
        assertInstanceOf(ModelNotReadyException.class, notReady.getCause());

        ModelSlots slots = slotsWithModel(1);
        MicroBatcher small = new MicroBatcher(slots, 4, Duration.ZERO, 4, new SimpleMeterRegistry());
        List<CompletableFuture<Inference>> accepted = new ArrayList<>();
        accepted.add(small.submit(List.of("a", "b", "c")));
        accepted.add(small.submit(List.of("d")));
        ExecutionException full = assertThrows(ExecutionException.class, () -> small.submit(List.of("e")).get());
        assertInstanceOf(OverloadedException.class, full.getCause());
        assertThrows(IllegalArgumentException.class, () -> small.submit(List.of("1", "2", "3", "4", "5")));
        small.start();
        try {
            for (CompletableFuture<Inference> f : accepted) {
                assertTrue(f.get(30, TimeUnit.SECONDS).predictions().size() > 0);
            }
            // Drained: accepted again.
            assertEquals(1, small.submit(List.of("e")).get(30, TimeUnit.SECONDS).predictions().size());
        } finally {
            small.stop();
            slots.close();
        }
    }
}
