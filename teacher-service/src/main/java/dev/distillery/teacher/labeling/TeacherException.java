package dev.distillery.teacher.labeling;

/** The teacher gave no usable response, retries included; the query is rejected as {@code teacher-failed}. */
public class TeacherException extends Exception {

    public TeacherException(String message) {
        super(message);
    }

    public TeacherException(String message, Throwable cause) {
        super(message, cause);
    }
}
