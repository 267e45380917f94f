package dev.distillery.student.cascade;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code slots} teacher calls in flight; a call beyond them waits, first come first served, for one to end,
 * up to a deadline, and at most {@code maxWaiting} calls wait. Why not fail at once when every slot is taken: a burst
 * of unsure answers (a batch of short texts, many clients at once) would then get the student's own answer for
 * whatever exceeds the bound, although a slot frees up within one teacher answer; waiting keeps the served answers
 * the teacher's, and the deadline and the bound on waiters keep a slow teacher from piling calls up.
 * Non-blocking: a waiter is a future, and a slot passes to the next waiter on the thread that releases it.
 */
final class TeacherCallSlots {

    private final int slots;
    private final int maxWaiting;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    TeacherCallSlots(int slots, int maxWaiting) {
        if (slots < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("slots >= 1 and maxWaiting >= 0, got " + slots + ", " + maxWaiting);
        }
        this.slots = slots;
        this.maxWaiting = maxWaiting;
    }

    /**
     * A slot: completes at once when one is free, else when a call in flight ends; completes exceptionally with
     * {@link TeacherUnavailableException} ({@code busy}) at once when {@code maxWaiting} calls already wait, or when
     * {@code within} passes first. The caller must {@link #release()} a slot it got, exactly once.
     */
    CompletableFuture<Void> acquire(Duration within) {
        CompletableFuture<Void> waiter;
        synchronized (this) {
            if (inFlight < slots) {
                inFlight++;
                return CompletableFuture.completedFuture(null);
            }
            if (waiting.size() >= maxWaiting) {
                return CompletableFuture.failedFuture(new TeacherUnavailableException(TeacherUnavailableException.BUSY,
                        slots + " teacher calls in flight and " + waiting.size() + " waiting"));
            }
            waiter = new CompletableFuture<>();
            waiting.add(waiter);
        }
        CompletableFuture.delayedExecutor(within.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (waiter.completeExceptionally(new TeacherUnavailableException(TeacherUnavailableException.BUSY,
                    "no free teacher call within " + within.toMillis() + " ms (" + slots + " in flight)"))) {
                synchronized (this) {
                    waiting.remove(waiter);
                }
            }
        });
        return waiter;
    }

    /** Ends a call: its slot goes to the longest waiter still waiting, or back to the free ones. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            // Outside the lock: completing runs the waiter's call on this thread. A waiter that gave up in between
            // (its deadline fired) cannot take the slot, so it goes to the next one.
            if (next.complete(null)) {
                return;
            }
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
