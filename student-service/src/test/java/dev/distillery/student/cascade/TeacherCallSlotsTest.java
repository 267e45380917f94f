package dev.distillery.student.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TeacherCallSlotsTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void aCallBeyondTheSlotsWaitsForOneAndGetsItInArrivalOrder() throws Exception {
        TeacherCallSlots slots = new TeacherCallSlots(2, 8);
        assertTrue(slots.acquire(LONG).isDone());
        assertTrue(slots.acquire(LONG).isDone());
        CompletableFuture<Void> third = slots.acquire(LONG);
        CompletableFuture<Void> fourth = slots.acquire(LONG);
        assertFalse(third.isDone(), "both slots are taken: the third call waits");
        assertEquals(2, slots.waiting());

        slots.release();
        third.get(1, TimeUnit.SECONDS);
        assertFalse(fourth.isDone(), "one slot came free: the first waiter took it");
        assertEquals(2, slots.inFlight());

        slots.release();
        fourth.get(1, TimeUnit.SECONDS);
        slots.release();
        slots.release();
        assertEquals(0, slots.inFlight());
        assertEquals(0, slots.waiting());
    }

    @Test
    void aWaiterGivesUpAsBusyAtItsDeadlineAndNoSlotIsLost() throws Exception {
        TeacherCallSlots slots = new TeacherCallSlots(1, 8);
        slots.acquire(LONG).get();
        CompletableFuture<Void> late = slots.acquire(Duration.ofMillis(100));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
        TeacherUnavailableException busy = assertInstanceOf(TeacherUnavailableException.class, failed.getCause());
        assertEquals(TeacherUnavailableException.BUSY, busy.kind());
        assertEquals(0, slots.waiting(), "a waiter that gave up leaves the queue");

        slots.release();
        assertEquals(0, slots.inFlight(), "the slot went back to the free ones, not to the waiter that gave up");
        assertTrue(slots.acquire(LONG).isDone());
    }

    @Test
    void aReleaseSkipsAWaiterThatGaveUpAndServesTheNext() throws Exception {
        TeacherCallSlots slots = new TeacherCallSlots(1, 8);
        slots.acquire(LONG).get();
        CompletableFuture<Void> gaveUp = slots.acquire(LONG);
        CompletableFuture<Void> next = slots.acquire(LONG);
        gaveUp.completeExceptionally(new IllegalStateException("its caller went away")); // as a deadline would

        slots.release();
        next.get(1, TimeUnit.SECONDS);
        assertEquals(1, slots.inFlight());
    }

    @Test
    void tooManyWaitersAreRefusedAtOnce() {
        TeacherCallSlots slots = new TeacherCallSlots(1, 2);
        slots.acquire(LONG);
        slots.acquire(LONG);
        slots.acquire(LONG);
        CompletableFuture<Void> refused = slots.acquire(LONG);
        assertTrue(refused.isCompletedExceptionally(), "one slot and two waiters: the next call is refused at once");
        ExecutionException failed = assertThrows(ExecutionException.class, refused::get);
        assertEquals(TeacherUnavailableException.BUSY,
                assertInstanceOf(TeacherUnavailableException.class, failed.getCause()).kind());
    }
}
