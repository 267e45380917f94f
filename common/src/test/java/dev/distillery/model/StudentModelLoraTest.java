package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;

class StudentModelLoraTest {

    private static final List<String> LABELS = MultilingualSamples.LABELS;
    private static final List<String> TEXTS = List.of("the house is big", "das Haus ist schön",
            "это очень хорошо", "这是我的城市", "", "x = y + 1;");

    @Test
    void freshAdaptersLeaveTheBaseOutputUnchanged() {
        BaseModel base = BaseModel.tiny();
        LoraConfig none = new LoraConfig(8, 16, 0.0, List.of(), false);
        LoraConfig all = new LoraConfig(8, 16, 0.0, LoraConfig.ALL_LINEAR, true, true);
        try (StudentModel plain = StudentModel.create(base, none, LABELS, "cpu", 11);
                StudentModel adapted = StudentModel.create(base, all, LABELS, "cpu", 11)) {
            assertEquals(base.config().hiddenSize() * LABELS.size() + LABELS.size(), plain.trainableParameters());
            assertTrue(adapted.trainableParameters() > plain.trainableParameters());
            List<Prediction> a = plain.predict(TEXTS);
            List<Prediction> b = adapted.predict(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertEquals(a.get(i).probabilities(), b.get(i).probabilities(), "text " + i);
                assertEquals(a.get(i).tokens(), b.get(i).tokens());
            }
        }
    }

    @Test
    void trainingChangesOnlyAdaptersHeadAndEmbeddingsAndNeverTheBase() {
        BaseModel base = BaseModel.tiny();
        Map<String, float[]> baseBefore = snapshot(base.weights());
        LoraConfig lora = new LoraConfig(4, 8, 0.1, List.of("query", "value", "intermediate.dense"), true, true);
        try (StudentModel model = StudentModel.create(base, lora, LABELS, "cpu", 5)) {
            Map<String, float[]> before = model.trainableSnapshot();
            assertEquals(Arrays.asList("embeddings.word_embeddings.weight",
                    "encoder.layer.0.attention.self.query.lora_A.weight",
                    "encoder.layer.0.attention.self.query.lora_B.weight",
                    "encoder.layer.0.attention.self.value.lora_A.weight",
                    "encoder.layer.0.attention.self.value.lora_B.weight",
                    "encoder.layer.0.intermediate.dense.lora_A.weight",
                    "encoder.layer.0.intermediate.dense.lora_B.weight"),
                    before.keySet().stream().limit(7).toList());
            assertTrue(before.containsKey("classifier.weight") && before.containsKey("classifier.bias")
                    && before.containsKey(StudentModel.TOKEN_EVIDENCE + ".weight"));
            assertFalse(before.containsKey("encoder.layer.0.attention.self.key.lora_A.weight"));

            var samples = MultilingualSamples.generate(64, 3);
            double first = MultilingualSamples.train(model, samples, 1, 16, 5e-3, 1);
            MultilingualSamples.train(model, samples, 2, 16, 5e-3, 2);
            assertTrue(Double.isFinite(first));
            assertEquals(12, model.steps());

            Map<String, float[]> after = model.trainableSnapshot();
            for (String name : before.keySet()) {
                assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
            }
            Map<String, float[]> baseAfter = snapshot(base.weights());
            for (String name : baseBefore.keySet()) {
                assertArrayEquals(baseBefore.get(name), baseAfter.get(name), name + " changed");
            }
            for (NDArray w : base.weights().values()) {
                assertFalse(w.hasGradient(), w.getName() + " records a gradient");
            }
        }
    }

    @Test
    void predictionsAreProbabilitiesAndThreadSafe() throws Exception {
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "auto", 1)) {
            MultilingualSamples.train(model, MultilingualSamples.generate(32, 9), 2, 16, 5e-3, 4);
            List<Prediction> expected = model.predict(TEXTS);
            for (Prediction p : expected) {
                assertEquals(1.0, p.probabilities().stream().mapToDouble(Double::doubleValue).sum(), 1e-4);
                assertEquals(p.confidence(), p.probabilities().get(LABELS.indexOf(p.label())));
            }
            assertEquals(2 + Math.max(ByteLevelTokenizer.SHAPE_FILL, 2 + 4 + (3 + 5 + 2 + 3)), expected.get(0).tokens(),
                    "specials, shape and script, 4 words, their trigrams (one per letter; ASCII letters and spaces add"
                            + " no bytes), filled with the shape up to SHAPE_FILL");
            assertEquals(2 + ByteLevelTokenizer.SHAPE_FILL, expected.get(4).tokens(),
                    "an empty text is its specials and its shape, filled");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Prediction>>> futures = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    futures.add(pool.submit(() -> model.predict(TEXTS)));
                }
                for (Future<List<Prediction>> f : futures) {
                    List<Prediction> got = f.get();
                    for (int i = 0; i < TEXTS.size(); i++) {
                        assertEquals(expected.get(i).probabilities(), got.get(i).probabilities());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void longInputsAreReadWholeAndTheirWindowsPooled() {
        BaseModel base = BaseModel.tiny();
        // "ab " is three tokens (word, <ab, ab>; ASCII letters and spaces add no bytes), after the text's shape and
        // script tokens. Repeated, it stays five distinct tokens: one window however long, every copy counted.
        String one = "ab ".repeat(42);
        String two = "ab ".repeat(84);
        assertEquals(2 + 126 + 2, base.countTokens(one));
        String long_ = "ü".repeat(500);
        int longBody = 2 + 1 + 500 * 3;
        String many = BaseModelTest.distinctWords(300);
        int manyWindows = base.tokenizer().encodeWindows(many, base.maxLength(), StudentModel.MAX_WINDOWS).size();
        assertTrue(manyWindows > 5, manyWindows + " windows");
        try (StudentModel model = StudentModel.create(base, LoraConfig.defaults(), LABELS, "cpu", 1)) {
            MultilingualSamples.train(model, MultilingualSamples.generate(32, 9), 1, 16, 5e-3, 4);
            List<Prediction> p = model.predict(List.of(one, two, long_, "ab", many));
            assertEquals(130, p.get(0).tokens());
            assertEquals(256, p.get(1).tokens(), "one window of 254 tokens, 5 of them distinct");
            assertEquals(longBody + 2, p.get(2).tokens(), "every token of the long text is read");
            assertEquals(base.countTokens(many) - 2 + 2 * manyWindows, p.get(4).tokens(), "each window has specials");
            // Alone or beside others (in a batch padded to other lengths), a text gets the same answer.
            for (String text : List.of(two, many)) {
                List<Prediction> alone = model.predict(List.of(text));
                for (int c = 0; c < LABELS.size(); c++) {
                    assertEquals(p.get(text == two ? 1 : 4).probabilities().get(c),
                            alone.get(0).probabilities().get(c), 1e-5);
                }
            }
            String limit = BaseModelTest.distinctWords(700); // 3,499 characters, nearly all distinct: under MAX_WINDOWS
            Prediction big = model.predict(List.of(limit)).get(0);
            int windows = base.tokenizer().encodeWindows(limit, base.maxLength(), StudentModel.MAX_WINDOWS).size();
            assertTrue(windows < StudentModel.MAX_WINDOWS);
            assertEquals(base.countTokens(limit) - 2 + 2 * windows, big.tokens());
        }
    }

    @Test
    void aBatchReadInSeveralPassesAnswersEachTextAsItWouldAlone() {
        // Far more padded tokens than one pass takes, widths in no order and one text of several windows: the passes
        // are formed by width, and every answer must come back in request order as the text's own.
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            texts.add(BaseModelTest.distinctWords(1 + (i * 7) % 29));
        }
        texts.add(12, BaseModelTest.distinctWords(300));
        texts.add(3, "ab");
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "cpu", 1)) {
            MultilingualSamples.train(model, MultilingualSamples.generate(32, 9), 1, 16, 5e-3, 4);
            List<Prediction> together = model.predict(texts);
            assertEquals(texts.size(), together.size());
            for (int i = 0; i < texts.size(); i++) {
                Prediction alone = model.predict(List.of(texts.get(i))).get(0);
                assertEquals(alone.tokens(), together.get(i).tokens(), "text " + i);
                assertEquals(alone.label(), together.get(i).label(), "text " + i);
                for (int c = 0; c < LABELS.size(); c++) {
                    assertEquals(alone.probabilities().get(c), together.get(i).probabilities().get(c), 1e-5,
                            "text " + i + ", label " + c);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "cpu", 1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> model.trainStep(List.of("a"), new float[][] {{1f}}, 1e-3));
            assertThrows(IllegalArgumentException.class,
                    () -> model.trainStep(List.of("a", "b"), new float[1][LABELS.size()], 1e-3));
        }
        assertThrows(IllegalArgumentException.class,
                () -> StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "tpu", 1));
    }

    static Map<String, float[]> snapshot(Map<String, NDArray> weights) {
        Map<String, float[]> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }
}
