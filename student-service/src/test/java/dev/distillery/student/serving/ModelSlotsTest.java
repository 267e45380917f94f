package dev.distillery.student.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Swap, drain and rollback on real (tiny) models: a retired model is closed only when its last lease is returned. */
class ModelSlotsTest {

    private static final List<String> LABELS = TaskSpec.languageId().labels();

    private static ServedModel served(long version) {
        return new ServedModel(StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "cpu", version),
                version, "sha" + version, Map.of(), Instant.now());
    }

    @Test
    void aRetiredModelStaysOpenUntilItsRequestsDrain() {
        ModelSlots slots = new ModelSlots(new SimpleMeterRegistry());
        ServedModel v1 = served(1);
        ServedModel v2 = served(2);
        ServedModel v3 = served(3);
        slots.install(v1);
        ModelLease inFlight = slots.acquire().orElseThrow();
        assertSame(v1, inFlight.served());

        slots.install(v2);
        slots.install(v3); // v1 leaves both slots while a request still holds it
        assertFalse(v1.isClosed(), "closed under a request in flight");
        assertEquals(LABELS.size(), inFlight.served().model().predict(List.of("still usable")).get(0).probabilities().size());
        inFlight.close();
        assertTrue(v1.isClosed(), "closed once drained");
        inFlight.close(); // idempotent
        assertEquals(1, v2.references());

        try (ModelLease lease = slots.acquire().orElseThrow()) {
            assertSame(v3, lease.served());
            assertEquals(2, v3.references());
        }
        slots.close();
        assertTrue(v2.isClosed() && v3.isClosed());
    }

    @Test
    void rollbackServesThePreviousModelAndRetiresTheCurrentOne() {
        ModelSlots slots = new ModelSlots(new SimpleMeterRegistry());
        assertTrue(slots.acquire().isEmpty());
        assertThrows(NoPreviousModelException.class, slots::rollback);
        ServedModel v1 = served(1);
        ServedModel v2 = served(2);
        slots.install(v1);
        assertThrows(NoPreviousModelException.class, slots::rollback);
        slots.install(v2);
        ModelLease onV2 = slots.acquire().orElseThrow();

        assertSame(v1, slots.rollback());
        assertSame(v1, slots.current().orElseThrow());
        assertTrue(slots.previous().isEmpty());
        assertFalse(v2.isClosed(), "v2 still answers the request in flight");
        onV2.close();
        assertTrue(v2.isClosed());
        assertThrows(NoPreviousModelException.class, slots::rollback);
        slots.close();
        assertTrue(v1.isClosed());
    }

    @Test
    void theUntrainedBaseIsNeverARollbackTarget() {
        ModelSlots slots = new ModelSlots(new SimpleMeterRegistry());
        ServedModel base = new ServedModel(StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "cpu", 0),
                null, null, Map.of(), Instant.now());
        slots.install(base);
        slots.install(served(1));
        assertTrue(base.isClosed());
        assertTrue(slots.previous().isEmpty());
        slots.close();
    }
}
