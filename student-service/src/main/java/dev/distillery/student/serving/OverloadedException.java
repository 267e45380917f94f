package dev.distillery.student.serving;

/** The batcher's queue is full: the caller should retry later (back-pressure instead of unbounded latency). */
public class OverloadedException extends RuntimeException {
    public OverloadedException(String message) {
        super(message);
    }
}
