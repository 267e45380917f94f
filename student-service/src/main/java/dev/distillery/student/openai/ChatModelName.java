package dev.distillery.student.openai;

import dev.distillery.task.TaskSpec;

/**
 * The student's model names on the OpenAI routes. Listed: {@code <task>-student}. Answers name what really
 * answered: {@code <task>-student-v<N>} (checkpoint N) or {@code <task>-student-untrained}. A request may name any
 * of these (or none); another name (e.g. the teacher's {@code gpt-4o-mini}) is answered 404 {@code model-not-found},
 * as OpenAI does, rather than silently served by a model that is not the one asked for.
 */
public final class ChatModelName {

    private ChatModelName() {
    }

    public static String id(TaskSpec task) {
        return task.name() + "-student";
    }

    public static String answered(TaskSpec task, Long version) {
        return id(task) + (version == null ? "-untrained" : "-v" + version);
    }

    /** @throws OpenAiRequestException 404 when {@code requested} is not one of this student's names */
    public static void check(TaskSpec task, String requested) {
        if (requested == null) {
            return;
        }
        String id = id(task);
        if (requested.equals(id) || requested.equals(id + "-untrained") || requested.matches(
                java.util.regex.Pattern.quote(id) + "-v[0-9]+")) {
            return;
        }
        throw new OpenAiRequestException(404, "model-not-found", "model",
                "The model '" + requested + "' does not exist here; this student serves '" + id + "' (GET /v1/models)");
    }
}
