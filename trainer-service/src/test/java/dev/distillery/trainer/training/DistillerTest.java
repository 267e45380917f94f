package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.RulesTeacher;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.IntakeItem;

/** The round logic with the real tiny student: split, duplicates, resume offsets, round triggers. */
class DistillerTest {

    private static StudentModel model;
    private static final List<String> QUERIES = RulesTeacher.demoQueries();

    @BeforeAll
    static void createModel() {
        model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), RulesTeacher.TASK.labels(), "cpu", 1);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static Distiller.Settings settings(int batch, long intervalNanos) {
        return new Distiller.Settings(batch, intervalNanos, 1, 8, 0.5, 10_000, 2e-3, 10, 2000, 5);
    }

    private static IntakeItem item(long offset, String id, int query) {
        String text = QUERIES.get(query);
        String label = RulesTeacher.label(text);
        float[] target = new float[RulesTeacher.TASK.labels().size()];
        target[RulesTeacher.TASK.labelIndex(label)] = 1f;
        return new IntakeItem.Accepted("t-0", offset, new Example(id, text, label, target, "Final Answer: " + label));
    }

    @Test
    void heldOutExamplesAreNeverTrainableAndDuplicatesCountOnce() {
        List<Long> steps = new ArrayList<>();
        Distiller d = new Distiller(model, settings(16, Long.MAX_VALUE), Map.of(), null, steps::add, null);
        HeldOutSplit split = new HeldOutSplit(10);
        int heldOut = 0;
        for (int i = 0; i < 200; i++) {
            d.accept(item(i, "id-" + i, i * 7 % QUERIES.size()), 0);
            heldOut += split.isHeldOut("id-" + i) ? 1 : 0;
            if (d.roundDue(0)) {
                d.runRound();
            }
        }
        d.accept(item(200, "id-3", 3), 0);
        d.accept(new IntakeItem.Skipped("t-0", 201, "malformed-json"), 0);
        Distiller.Snapshot s = d.snapshot();
        assertEquals(200, s.examplesSeen());
        assertEquals(heldOut, s.heldOutExamples());
        assertEquals(200 - heldOut, s.trainExamples());
        assertEquals(1, s.duplicates());
        assertEquals(1, s.rejected());
        assertTrue(s.rounds() >= 10, "rounds of 16: " + s.rounds());
        assertEquals(s.rounds(), steps.size(), "one step per round (K = 1)");
        Set<String> overlap = new HashSet<>(d.trainableIds());
        overlap.retainAll(d.heldOutIds());
        assertTrue(overlap.isEmpty(), "held-out ids reachable by training: " + overlap);
        assertEquals(heldOut, d.heldOutIds().size());
        assertEquals(Map.of("t-0", 202L), d.positions());
        assertTrue(d.evaluate().measured());
    }

    @Test
    void examplesBeforeTheResumeOffsetsAreReplayedNotTrainedAndRoundsAlsoStartOnTime() {
        Distiller d = new Distiller(model, settings(1000, TimeUnit.SECONDS.toNanos(5)), Map.of("t-0", 50L), null,
                n -> { }, null);
        HeldOutSplit split = new HeldOutSplit(10);
        long coveredTrain = 0;
        for (int i = 0; i < 60; i++) {
            d.accept(item(i, "r-" + i, i), TimeUnit.SECONDS.toNanos(i < 50 ? 0 : 100));
            if (i < 50 && !split.isHeldOut("r-" + i)) {
                coveredTrain++;
            }
            if (i == 49) {
                assertTrue(d.caughtUp());
                assertFalse(d.roundDue(TimeUnit.SECONDS.toNanos(1000)), "covered examples never start a round");
            }
        }
        assertEquals(coveredTrain, d.snapshot().restoredExamples());
        assertFalse(d.roundDue(TimeUnit.SECONDS.toNanos(104)));
        assertTrue(d.roundDue(TimeUnit.SECONDS.toNanos(105)), "T passed since the first waiting example");
        long waiting = d.snapshot().pendingExamples();
        RoundResult r = d.runRound();
        assertEquals(waiting, r.newExamples());
        assertEquals(d.snapshot().trainExamples(), d.snapshot().trainedExamples());
    }
}
