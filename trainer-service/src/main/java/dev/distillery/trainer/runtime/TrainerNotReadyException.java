package dev.distillery.trainer.runtime;

/** The trainer cannot serve the request yet: the model is loading, or the training thread failed. */
public class TrainerNotReadyException extends RuntimeException {
    public TrainerNotReadyException(String message) {
        super(message);
    }
}
