package dev.distillery.trainer.runtime;

/** A forced checkpoint was asked for before any valid example arrived. */
public class NothingToCheckpointException extends RuntimeException {
    public NothingToCheckpointException(String message) {
        super(message);
    }
}
