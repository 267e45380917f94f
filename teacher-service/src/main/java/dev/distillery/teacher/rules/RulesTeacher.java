package dev.distillery.teacher.rules;

import dev.distillery.messages.LabeledExample.Usage;
import dev.distillery.task.TaskSpec;
import dev.distillery.task.language.LanguageIdRules;
import dev.distillery.teacher.labeling.Teacher;
import dev.distillery.teacher.labeling.TeacherReply;

/**
 * The embedded teacher that needs no LLM: {@link LanguageIdRules}, a deterministic implementation of the built-in
 * language-id prompt's rules, answering in the task's answer format. A stand-in for offline runs and tests; it knows
 * only the language-id task.
 */
public final class RulesTeacher implements Teacher {

    public static final String KIND = "rules";
    public static final String MODEL = "language-id-rules-v1";

    private final LanguageIdRules rules = new LanguageIdRules();
    private final TaskSpec task;

    public RulesTeacher(TaskSpec task) {
        if (!task.labels().containsAll(LanguageIdRules.LABELS)) {
            throw new IllegalArgumentException("the rules teacher implements the language-id task only; task "
                    + task.name() + " has labels " + task.labels());
        }
        this.task = task;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public TeacherReply answer(String text) {
        return new TeacherReply(task.formatAnswer(rules.classify(text)), Usage.NONE, 1);
    }
}
