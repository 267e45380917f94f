package dev.distillery.student.cascade;

import dev.distillery.model.Prediction;

/**
 * One answer of the serving policy.
 *
 * @param label      the answer
 * @param answeredBy {@code student} or {@code teacher}
 * @param deferred   why the student did not answer alone: {@code below-threshold}, {@code no-threshold} (the
 *                   checkpoint has no calibrated threshold), {@code no-checkpoint}; or {@code teacher-unavailable} when
 *                   it deferred but the teacher failed and the student's own answer is given; null for a confident
 *                   answer
 * @param student    the student's prediction (null when no checkpoint was served)
 * @param score      the student's confidence score that was compared with the threshold (null without a prediction)
 * @param threshold  the served checkpoint's threshold (null when it has none, or under the student policy)
 */
public record CascadeAnswer(String label, String answeredBy, String deferred, Prediction student, Double score,
        Double threshold) {

    public static final String BY_STUDENT = "student";
    public static final String BY_TEACHER = "teacher";
    public static final String BELOW_THRESHOLD = "below-threshold";
    public static final String NO_THRESHOLD = "no-threshold";
    public static final String NO_CHECKPOINT = "no-checkpoint";
    public static final String TEACHER_UNAVAILABLE = "teacher-unavailable";
}
