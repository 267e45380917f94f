package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The head's token-evidence table: a score per token and label, summed over every window of a text. */
class TokenEvidenceTest {

    private static final List<String> LABELS = MultilingualSamples.LABELS;
    private static final String NAME = StudentModel.TOKEN_EVIDENCE + ".weight";

    @Test
    void aTokensScoreCountsOncePerOccurrenceAcrossAllWindows() {
        BaseModel base = BaseModel.tiny();
        // 2,000 characters of Greek-lettered words, all different, so that the text needs many windows.
        java.util.Random random = new java.util.Random(1);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 2_000) {
            for (int i = 3 + random.nextInt(6); i > 0; i--) {
                sb.append((char) ('α' + random.nextInt(24)));
            }
            sb.append(' ');
        }
        String text = sb.toString();
        List<long[]> windows = base.tokenizer().encodeWindows(text, base.maxLength(), StudentModel.MAX_WINDOWS);
        assertTrue(windows.size() > 1, "the text should span several windows, got " + windows.size());
        long id = windows.get(0)[1];
        int count = 0;
        for (long[] w : windows) {
            for (long t : w) {
                count += t == id ? 1 : 0;
            }
        }
        try (StudentModel model = StudentModel.create(base, LoraConfig.defaults(), LABELS, "cpu", 3)) {
            List<Double> before = model.predict(List.of(text)).get(0).probabilities();
            Map<String, float[]> weights = model.trainableSnapshot();
            float[] table = weights.get(NAME);
            assertEquals((long) base.config().vocabSize() * LABELS.size(), table.length);
            table[(int) id * LABELS.size()] = 0.01f; // label 0, for this one token
            model.setTrainable(weights);
            List<Double> after = model.predict(List.of(text)).get(0).probabilities();
            // Only label 0's logit moved, by 0.01 per occurrence: the log-odds of label 0 against label 1 show it.
            double shift = Math.log(after.get(0) / after.get(1)) - Math.log(before.get(0) / before.get(1));
            assertEquals(0.01 * count, shift, 1e-3, "occurrences " + count);
            assertEquals(Math.log(before.get(2) / before.get(1)), Math.log(after.get(2) / after.get(1)), 1e-4);
        }
    }

    @Test
    void withoutTheTableTheAdapterHasNoSuchTensor() {
        LoraConfig plain = new LoraConfig(8, 16, 0.0, LoraConfig.ALL_LINEAR, true);
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), plain, LABELS, "cpu", 3);
                StudentModel withTable = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), LABELS, "cpu",
                        3)) {
            assertTrue(!model.trainableTensors().containsKey(NAME));
            assertEquals(model.trainableParameters() + (long) BaseModel.tiny().config().vocabSize() * LABELS.size(),
                    withTable.trainableParameters());
            // A fresh table is zero: both compute the same.
            String text = "Bonjour, comment ça va?";
            assertEquals(model.predict(List.of(text)).get(0).probabilities(),
                    withTable.predict(List.of(text)).get(0).probabilities());
        }
    }
}
