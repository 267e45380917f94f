package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.RulesTeacher;

class WeightEmaTest {

    private static StudentModel model;

    @BeforeAll
    static void createModel() {
        model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), RulesTeacher.TASK.labels(), "cpu", 3);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void foldIsTheDecayWeightedMeanInPlace() {
        Map<String, float[]> average = new HashMap<>(Map.of("a", new float[] {0f, 4f}));
        WeightEma.fold(average, Map.of("a", new float[] {2f, 0f}), 0.75);
        assertArrayEquals(new float[] {0.5f, 3f}, average.get("a"), 1e-6f);
    }

    @Test
    void theModelHoldsTheAverageBetweenRoundsAndTrainsFromItsRawWeights() {
        WeightEma ema = new WeightEma(18);
        Map<String, float[]> w1 = shifted(model.trainableSnapshot(), 0.5f);
        Map<String, float[]> w2 = shifted(w1, 1.0f);
        String name = "classifier.bias";

        ema.beforeSteps(model);
        model.setTrainable(w1); // a round's steps
        ema.afterSteps(model, 18);
        assertArrayEquals(w1.get(name), model.trainableSnapshot().get(name), 1e-6f, "the first round is the average");

        ema.beforeSteps(model);
        assertArrayEquals(w1.get(name), model.trainableSnapshot().get(name), 1e-6f);
        model.setTrainable(w2);
        ema.afterSteps(model, 18); // one half-life: half of each
        float[] expected = w1.get(name).clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 0.5f * w1.get(name)[i] + 0.5f * w2.get(name)[i];
        }
        assertArrayEquals(expected, model.trainableSnapshot().get(name), 1e-5f, "evaluated and published: the average");

        ema.beforeSteps(model);
        assertArrayEquals(w2.get(name), model.trainableSnapshot().get(name), 1e-6f, "training goes on from the raw w2");

        ema.afterSteps(model, 0); // a round without steps changes no average
        assertArrayEquals(expected, model.trainableSnapshot().get(name), 1e-5f);
        ema.beforeSteps(model);
        assertArrayEquals(w2.get(name), model.trainableSnapshot().get(name), 1e-6f);
    }

    @Test
    void halfLifeZeroLeavesTheRawWeights() {
        WeightEma off = new WeightEma(0);
        Map<String, float[]> w = shifted(model.trainableSnapshot(), 0.25f);
        off.beforeSteps(model);
        model.setTrainable(w);
        off.afterSteps(model, 8);
        off.beforeSteps(model);
        model.setTrainable(shifted(w, 1f));
        off.afterSteps(model, 8);
        assertArrayEquals(shifted(w, 1f).get("classifier.bias"), model.trainableSnapshot().get("classifier.bias"),
                1e-6f);
    }

    private static Map<String, float[]> shifted(Map<String, float[]> weights, float by) {
        Map<String, float[]> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> {
            float[] c = v.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += by;
            }
            out.put(k, c);
        });
        return out;
    }
}
