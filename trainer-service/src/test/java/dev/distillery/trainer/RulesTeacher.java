package dev.distillery.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.task.TaskSpec;
import dev.distillery.task.language.LanguageIdRules;

/**
 * Labels texts with the deterministic rules teacher, as teacher-service's {@code rules} kind does, so tests can put
 * real distillation examples on {@code distill.labeled} without running the teacher.
 */
public final class RulesTeacher {

    public static final TaskSpec TASK = TaskSpec.languageId();
    private static final LanguageIdRules RULES = new LanguageIdRules();
    private static final LabeledExample.TeacherInfo TEACHER =
            new LabeledExample.TeacherInfo("rules", "language-id-rules", TASK.promptSha256());

    private RulesTeacher() {
    }

    public static String label(String text) {
        return RULES.classify(text);
    }

    public static LabeledExample example(String id, String text) {
        return example(id, text, label(text));
    }

    /** An example with a given label (for tests that need a teacher disagreeing with the rules). */
    public static LabeledExample example(String id, String text, String label) {
        return LabeledExample.of(id, text, TASK.formatAnswer(label), label, TEACHER, LabeledExample.Usage.NONE, 1,
                Instant.now());
    }

    public static byte[] encode(LabeledExample example) {
        return MessageCodec.encode(example);
    }

    /** The project's demo query set (common's resources), one query per line. */
    public static List<String> demoQueries() {
        try (InputStream in = RulesTeacher.class.getResourceAsStream("/dev/distillery/demo/queries.txt")) {
            if (in == null) {
                throw new IllegalStateException("demo queries are missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
