package dev.distillery.student;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.restassured.path.json.JsonPath;

/** Polling helpers: wait for a state with a deadline instead of sleeping. */
final class ServiceProbe {

    private ServiceProbe() {
    }

    static JsonPath model() {
        return given().get("/v1/model").then().statusCode(200).extract().jsonPath();
    }

    /** The served checkpoint version, or null. */
    static Long servedVersion() {
        Object v = model().get("checkpoint.version");
        return v == null ? null : ((Number) v).longValue();
    }

    static Long refusedVersion() {
        Object v = model().get("lastRefusal.version");
        return v == null ? null : ((Number) v).longValue();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; model: "
                        + model().prettify());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    static void awaitServed(long version) {
        await("checkpoint v" + version + " to be served", Duration.ofSeconds(60),
                () -> Long.valueOf(version).equals(servedVersion()));
    }

    /** Makes sure some checkpoint is served (for classes that may run alone). */
    static long ensureServing() {
        Long served = servedVersion();
        if (served != null) {
            return served;
        }
        long version = TrainedCheckpoints.writeAndAnnounceNext().version();
        awaitServed(version);
        return version;
    }
}
