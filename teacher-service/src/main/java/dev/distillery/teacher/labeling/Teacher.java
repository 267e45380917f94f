package dev.distillery.teacher.labeling;

/**
 * Answers one query under the task's prompt P. Implementations are thread-safe and may block (the pipeline calls
 * them from a bounded worker pool).
 */
public interface Teacher {

    /** {@code rules} or {@code openai}: what {@code LabeledExample.teacher.kind} says. */
    String kind();

    /** The model id recorded with each example. */
    String model();

    /**
     * The teacher's raw response to {@code text}.
     *
     * @throws TeacherException when no response could be had (after the teacher's own retries)
     */
    TeacherReply answer(String text) throws TeacherException;
}
