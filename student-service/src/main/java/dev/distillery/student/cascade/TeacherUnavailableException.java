package dev.distillery.student.cascade;

/**
 * The teacher could not answer a deferred query in time. {@code kind}: {@code timeout}, {@code unreachable},
 * {@code busy} (no call slot freed up within the timeout, or too many calls wait for one) or {@code rejected} (a
 * non-200 answer).
 */
public final class TeacherUnavailableException extends RuntimeException {

    public static final String TIMEOUT = "timeout";
    public static final String UNREACHABLE = "unreachable";
    public static final String BUSY = "busy";
    public static final String REJECTED = "rejected";

    private final String kind;

    public TeacherUnavailableException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
