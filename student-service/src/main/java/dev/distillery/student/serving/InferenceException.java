package dev.distillery.student.serving;

/** The model failed on a forward pass: a server fault, never a client one. */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
