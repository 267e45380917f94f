package dev.distillery.student.openai;

import dev.distillery.task.TaskSpec;

/**
 * The student's model names on the OpenAI routes. Listed: {@code <task>-student}. Answers name what really
 * answered: {@code <task>-student-v<N>} (checkpoint N), {@code <task>-student-untrained}, or {@code <task>-teacher} when
 * the cascade deferred the query to the teacher. A chat request may name
 * any model: the name is echoed nowhere and routes nothing, so a client of the teacher keeps working when only its
 * base URL changes. With {@code distillery.student.strict-model=true}, a name other than these is answered 404
 * {@code model-not-found}, as OpenAI does; {@code GET /v1/models/{id}} always answers 404 for another name.
 */
public final class ChatModelName {

    private ChatModelName() {
    }

    public static String id(TaskSpec task) {
        return task.name() + "-student";
    }

    /** The answer's model name when the cascade deferred it to the teacher (never accepted as a request's model). */
    public static String teacher(TaskSpec task) {
        return task.name() + "-teacher";
    }

    public static String answered(TaskSpec task, Long version) {
        return id(task) + (version == null ? "-untrained" : "-v" + version);
    }

    /** @throws OpenAiRequestException 404 when {@code requested} is not one of this student's names */
    public static void check(TaskSpec task, String requested) {
        if (!isOwn(task, requested)) {
            throw new OpenAiRequestException(404, "model-not-found", "model", "The model '" + requested
                    + "' does not exist here; this student serves '" + id(task) + "' (GET /v1/models)");
        }
    }

    static boolean isOwn(TaskSpec task, String requested) {
        if (requested == null) {
            return true;
        }
        String id = id(task);
        return requested.equals(id) || requested.equals(id + "-untrained")
                || requested.matches(java.util.regex.Pattern.quote(id) + "-v[0-9]+");
    }
}
