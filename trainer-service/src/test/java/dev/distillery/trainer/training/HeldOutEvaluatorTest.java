package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.distillery.cascade.AgreementOf;
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.RulesTeacher;
import dev.distillery.trainer.intake.Example;

/** The gate's baseline: the last published checkpoint scored, coverage included, on the slice as it is now. */
class HeldOutEvaluatorTest {

    /** Low enough that an untrained student's answers reach a threshold, so coverage is a number to compare. */
    private static final CascadeSettings CASCADE = new CascadeSettings(0.6, 4, AgreementOf.SERVED);

    @Test
    void thePublishedCheckpointsCoverageIsRecalibratedOnTheGrownSlice() {
        List<String> queries = RulesTeacher.demoQueries();
        List<StudentModel> loaded = new ArrayList<>();
        // Same base, same seed, no training: the "published" model answers exactly as the current one does.
        try (StudentModel model = fresh()) {
            HeldOutEvaluator heldOut = new HeldOutEvaluator(RulesTeacher.TASK.labels(), 5000, CASCADE, null, c -> {
                StudentModel m = fresh();
                loaded.add(m);
                return m;
            });
            for (int i = 0; i < 300; i++) {
                heldOut.add(example(i, queries.get(i * 7 % queries.size())));
            }
            Evaluation first = heldOut.evaluate(model);
            assertTrue(first.cascadeCoverage() > 0 && first.cascadeCoverage() <= 1, "coverage " + first);
            heldOut.markPublished(new PublishedCheckpoint(1, "file:/v1", first.agreement()));
            assertEquals(first.cascadeCoverage(), heldOut.lastPublishedEvaluation().orElseThrow().cascadeCoverage());

            for (int i = 300; i < 900; i++) {
                heldOut.add(example(i, queries.get(i * 7 % queries.size())));
            }
            Evaluation grown = heldOut.evaluate(model);
            Evaluation champion = heldOut.lastPublishedEvaluation().orElseThrow();
            assertEquals(1, loaded.size(), "the published model was loaded back for the new examples");
            assertEquals(grown.examples(), champion.examples());
            assertEquals(grown.agreement(), champion.agreement(), 1e-12);
            assertEquals(grown.cascadeCoverage(), champion.cascadeCoverage(), 1e-12,
                    "calibrated on the 900 examples of now, not the 300 it was published on");
        } finally {
            loaded.forEach(StudentModel::close);
        }
    }

    private static StudentModel fresh() {
        return StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), RulesTeacher.TASK.labels(), "cpu", 3);
    }

    private static Example example(int i, String text) {
        String label = RulesTeacher.label(text);
        float[] target = new float[RulesTeacher.TASK.labels().size()];
        target[RulesTeacher.TASK.labelIndex(label)] = 1f;
        return new Example("h-" + i, text, label, target, "Final Answer: " + label);
    }
}
