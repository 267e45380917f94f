package dev.distillery.teacher.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.TeacherReply.Alternative;
import dev.distillery.teacher.labeling.TeacherReply.TokenLogprob;

/** Reading the label distribution out of token log-probabilities, on the shapes servers tokenize answers into. */
class LabelDistributionTest {

    private static final TaskSpec TASK = TaskSpec.languageId();

    private static TokenLogprob token(String text, Object... alternatives) {
        List<Alternative> top = new java.util.ArrayList<>();
        for (int i = 0; i < alternatives.length; i += 2) {
            top.add(new Alternative((String) alternatives[i], Math.log((Double) alternatives[i + 1])));
        }
        return new TokenLogprob(text, top.isEmpty() ? 0 : top.getFirst().logprob(), top);
    }

    @Test
    void labelTokenCarryingTheSpaceBeforeIt() {
        Map<String, Double> d = LabelDistribution.of(TASK, "Final Answer: de",
                List.of(token("Final"), token(" Answer"), token(":"), token(" de", " de", 0.6, " nl", 0.3, " en", 0.1)));
        assertEquals(0.6 / 0.7, d.get("de"), 1e-9);
        assertEquals(0.1 / 0.7, d.get("en"), 1e-9);
        assertEquals(2, d.size(), "nl is no label: dropped");
    }

    @Test
    void labelSplitOverTokensIsCreditedByItsFirstPiece() {
        // "ot" read as "o" + "t": the first piece names one label only.
        Map<String, Double> d = LabelDistribution.of(TASK, "Final Answer: ot",
                List.of(token("Final Answer: "), token("o", "o", 0.8, "u", 0.15, "e", 0.05), token("t")));
        assertEquals(2, d.size(), "'e' begins el, en and es: ambiguous, dropped; " + d);
        assertEquals(0.8 / 0.95, d.get("ot"), 1e-9);
        assertEquals(0.15 / 0.95, d.get("ur"), 1e-9, "'u' begins ur only");
    }

    @Test
    void tokensThatDoNotSpellTheResponseGiveNoDistribution() {
        assertEquals(Map.of(), LabelDistribution.of(TASK, "Final Answer: fr",
                List.of(token("<think>"), token(" fr", " fr", 0.9))));
        assertEquals(Map.of(), LabelDistribution.of(TASK, "Final Answer: fr", List.of()));
        assertEquals(Map.of(), LabelDistribution.of(TASK, "no answer here", List.of(token("no answer here"))));
    }
}
