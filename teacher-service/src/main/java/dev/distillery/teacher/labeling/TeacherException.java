package dev.distillery.teacher.labeling;

import dev.distillery.messages.RejectReason;

/**
 * The teacher gave no usable response, retries included. The query is rejected with {@link #reason()}:
 * {@code teacher-failed} unless the server answered but cut the answer short or refused.
 */
public class TeacherException extends Exception {

    private final RejectReason reason;
    private final String response;

    public TeacherException(String message) {
        this(RejectReason.TEACHER_FAILED, message, null);
    }

    public TeacherException(String message, Throwable cause) {
        super(message, cause);
        this.reason = RejectReason.TEACHER_FAILED;
        this.response = null;
    }

    /** @param response what the teacher did say (a truncated answer, a refusal text), kept with the rejection */
    public TeacherException(RejectReason reason, String message, String response) {
        super(message);
        this.reason = reason;
        this.response = response;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The teacher's partial or refusing text, or null. */
    public String response() {
        return response;
    }
}
