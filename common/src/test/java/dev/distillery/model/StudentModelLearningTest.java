package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The tiny base with default LoRA must learn a 13-way language task from ~1,300 examples: a frozen random encoder
 * only works if adapters, head and embeddings carry the learning.
 */
class StudentModelLearningTest {

    @Test
    void learnsTheLanguagesWellAboveChance() {
        var train = MultilingualSamples.generate(1300, 1);
        var heldOut = MultilingualSamples.generate(260, 2);
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(),
                MultilingualSamples.LABELS, "auto", 7)) {
            double before = MultilingualSamples.accuracy(model, heldOut);
            List<Double> losses = MultilingualSamples.trainLosses(model, train, 3, 32, 2e-3, 1);
            double after = MultilingualSamples.accuracy(model, heldOut);
            System.out.printf("learning check: held-out accuracy %.3f -> %.3f after %d steps%n", before, after,
                    model.steps());
            assertTrue(after >= 0.85, "held-out accuracy " + after + " (chance is 1/13); losses " + losses);
        }
    }

    @Test
    void adaptersAloneLearnWithoutTrainableEmbeddings() {
        var train = MultilingualSamples.generate(650, 3);
        var heldOut = MultilingualSamples.generate(130, 4);
        LoraConfig lora = new LoraConfig(8, 16, 0.0, LoraConfig.ALL_LINEAR, false);
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), lora, MultilingualSamples.LABELS, "cpu", 7)) {
            List<Double> losses = MultilingualSamples.trainLosses(model, train, 2, 32, 3e-3, 1);
            double after = MultilingualSamples.accuracy(model, heldOut);
            System.out.printf("learning check without embeddings: held-out accuracy %.3f%n", after);
            assertTrue(after >= 0.5, "held-out accuracy " + after + " (chance is 1/13); losses " + losses);
        }
    }
}
