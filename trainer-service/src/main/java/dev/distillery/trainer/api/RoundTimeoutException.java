package dev.distillery.trainer.api;

/** A forced round did not finish in time (it still runs; the next GET /v1/trainer shows its result). */
public class RoundTimeoutException extends RuntimeException {
    public RoundTimeoutException(String message) {
        super(message);
    }
}
