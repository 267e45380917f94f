package dev.distillery.student.checkpoint;

/**
 * An announced checkpoint the student will not serve.
 *
 * @see #reason() a stable code used as the metric tag
 */
public class CheckpointRefusedException extends Exception {

    private final String reason;

    public CheckpointRefusedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CheckpointRefusedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** e.g. {@code base-mismatch}, {@code sha256-mismatch}, {@code load-failed}. */
    public String reason() {
        return reason;
    }
}
