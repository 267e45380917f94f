package dev.distillery.trainer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Schema;
import dev.distillery.task.TaskSpec;

/**
 * A stub of an LLM teacher that returns calibrated log-probabilities (no LLM runs here). For each text its
 * distribution q over the labels is the true posterior of a stochastic world: the rules label gets confidence c,
 * lower for short texts (c = 0.55 under 20 characters, 0.75 under 60, 0.95 otherwise: short texts are the ambiguous
 * ones), and the rest goes 2:1 to two other labels picked by a hash of the text. The teacher answers at temperature 0
 * (its label is the argmax, the rules label) and reports q as its label distribution; the "true" label of a text is
 * drawn from q, so q is calibrated by construction.
 */
final class CalibratedStubTeacher {

    private static final TaskSpec TASK = RulesTeacher.TASK;
    private static final LabeledExample.TeacherInfo INFO =
            new LabeledExample.TeacherInfo("openai", "calibrated-stub", TASK.promptSha256());

    private CalibratedStubTeacher() {
    }

    static double confidence(String text) {
        int length = text.strip().length();
        return length < 20 ? 0.55 : length < 60 ? 0.75 : 0.95;
    }

    /** q: the teacher's (calibrated) distribution over the labels for this text. */
    static Map<String, Double> distribution(String text) {
        String argmax = RulesTeacher.label(text);
        double c = confidence(text);
        List<String> others = TASK.labels().stream().filter(l -> !l.equals(argmax)).toList();
        int h = Math.floorMod(text.hashCode(), others.size());
        String second = others.get(h);
        String third = others.get((h + 1 + Math.floorMod(text.hashCode() >>> 8, others.size() - 1)) % others.size());
        Map<String, Double> q = new HashMap<>();
        q.put(argmax, c);
        q.merge(second, (1 - c) * 2 / 3, Double::sum);
        q.merge(third, (1 - c) / 3, Double::sum);
        return q;
    }

    /** The label the stochastic world gives this text: drawn from q (seeded per text, so every run agrees). */
    static String trueLabel(String text, long seed) {
        double u = new Random(seed * 31 + text.hashCode()).nextDouble();
        double acc = 0;
        Map<String, Double> q = distribution(text);
        for (String label : TASK.labels()) {
            acc += q.getOrDefault(label, 0.0);
            if (u < acc) {
                return label;
            }
        }
        return RulesTeacher.label(text);
    }

    /** The teacher's message as the trainer reads it from distill.labeled; with {@code soft}, it carries q. */
    static byte[] labeledExample(String id, String text, boolean soft) {
        String label = RulesTeacher.label(text);
        return MessageCodec.encode(new LabeledExample(Schema.VERSION, id, text, TASK.formatAnswer(label), label, INFO,
                LabeledExample.Usage.NONE, 0, java.time.Instant.EPOCH, soft ? distribution(text) : null));
    }
}
