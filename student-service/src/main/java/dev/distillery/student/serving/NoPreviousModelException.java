package dev.distillery.student.serving;

/** A rollback was asked for but no previous model is kept. */
public class NoPreviousModelException extends RuntimeException {
    public NoPreviousModelException(String message) {
        super(message);
    }
}
