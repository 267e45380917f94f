package dev.distillery.teacher.kafka;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the teacher's output: DOWN while a send has waited longer than {@link #STALLED} for the broker, or
 * the last attempt failed and none has succeeded since (the publisher is retrying). Deliberately not a liveness
 * check: a broker outage is not a reason to restart the teacher, which resumes by itself when the broker is back.
 */
@Readiness
@ApplicationScoped
public class PublishHealth implements HealthCheck {

    static final Duration STALLED = Duration.ofSeconds(10);

    private final AtomicLong tokens = new AtomicLong();
    private final ConcurrentHashMap<Long, Long> pendingSince = new ConcurrentHashMap<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    /** A send starts; returns the token to end it with. */
    long sending() {
        long token = tokens.incrementAndGet();
        pendingSince.put(token, System.nanoTime());
        return token;
    }

    void acknowledged(long token) {
        pendingSince.remove(token);
        lastFailure.set(null);
    }

    /** The attempt ended without an acknowledgement; {@code cause} is kept for the health report until a success. */
    void failed(long token, String cause) {
        pendingSince.remove(token);
        lastFailure.set(cause);
    }

    /** The attempt ended and says nothing about the broker (e.g. a record refused as too large). */
    void ended(long token) {
        pendingSince.remove(token);
    }

    public boolean blocked() {
        return lastFailure.get() != null || oldestWait().compareTo(STALLED) > 0;
    }

    private Duration oldestWait() {
        long now = System.nanoTime();
        long oldest = pendingSince.values().stream().mapToLong(started -> now - started).max().orElse(0);
        return Duration.ofNanos(oldest);
    }

    @Override
    public HealthCheckResponse call() {
        String failure = lastFailure.get();
        Duration wait = oldestWait();
        return HealthCheckResponse.named("teacher-publishing")
                .status(failure == null && wait.compareTo(STALLED) <= 0)
                .withData("waiting", pendingSince.size())
                .withData("oldestWaitMs", wait.toMillis())
                .withData("lastFailure", failure == null ? "none" : failure)
                .build();
    }
}
