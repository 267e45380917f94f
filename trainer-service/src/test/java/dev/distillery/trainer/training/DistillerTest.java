package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    private static TrainingSettings settings(int batch, long intervalNanos) {
        return new TrainingSettings(batch, intervalNanos, 1, 8, 0.5, 10_000, 2e-3, 10, 2000, 5);
    }

    @Test
    void aTokenDropoutOutsideZeroToOneIsRefusedByName() {
        for (double refused : new double[] {1, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingSettings(32, 1, 1, 8, 0.5, 10_000, 2e-3, 10, 2000, 5, 1, 0, 1, 1, false, refused,
                            0));
            assertTrue(e.getMessage().startsWith("token-dropout must be in [0, 1)"), e.getMessage());
        }
        assertEquals(0.0, new TrainingSettings(32, 1, 1, 8, 0.5, 10_000, 2e-3, 10, 2000, 5, 1, 0, 1, 1, false, 0, 0)
                .tokenDropout(), "0 turns it off");
    }

    @Test
    void bothWeightAveragesAtOnceOrABadHalfLifeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingSettings(32, 1, 1, 8, 0.5, 10_000, 2e-3, 10, 2000, 5, 1, 0, 1, 1, true, 0.2, 18));
        assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
        for (double refused : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            e = assertThrows(IllegalArgumentException.class, () -> new TrainingSettings(32, 1, 1, 8, 0.5, 10_000, 2e-3,
                    10, 2000, 5, 1, 0, 1, 1, false, 0.2, refused));
            assertTrue(e.getMessage().startsWith("ema-half-life-steps must be >= 0"), e.getMessage());
        }
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

    @Test
    void whenTheStreamPausesConsolidationRoundsTrainOnReplayAndStopAfterPatience() {
        long idle = TimeUnit.SECONDS.toNanos(3);
        TrainingSettings settings = new TrainingSettings(32, Long.MAX_VALUE, 2, 16, 0.5, 10_000, 2e-3, 10, 2000, 5,
                idle, 2, 0.8, 0.1, true, TrainingSettings.DEFAULT_TOKEN_DROPOUT, 0);
        List<Long> steps = new ArrayList<>();
        Distiller d = new Distiller(model, settings, Map.of(), null, steps::add, null);
        long t = 0;
        for (int i = 0; i < 150; i++) {
            d.accept(item(i, "c-" + i, i * 11 % QUERIES.size()), t);
            if (d.roundDue(t)) {
                assertEquals(RoundResult.Kind.NEW, d.runRound().kind());
            }
        }
        assertTrue(d.snapshot().pendingExamples() > 0, "a partial batch waits");
        assertFalse(d.roundDue(t + idle - 1), "the stream has not paused yet");
        assertFalse(d.consolidationDue(t + idle), "new examples wait: they go first");
        assertTrue(d.roundDue(t + idle), "paused: what waits is trained without waiting for T");
        RoundResult last = d.runRound();
        assertEquals(RoundResult.Kind.NEW, last.kind());
        Map<String, Long> offsets = d.positions();
        long trained = d.snapshot().trainedExamples();

        t += idle;
        int consolidations = 0;
        while (d.consolidationDue(t) && consolidations < 100) {
            int before = steps.size();
            RoundResult r = d.runRound();
            assertEquals(RoundResult.Kind.CONSOLIDATION, r.kind());
            assertEquals(0, r.newExamples());
            assertEquals(2, steps.size() - before, "K steps");
            assertTrue(r.evaluation().measured());
            consolidations++;
        }
        assertTrue(consolidations >= 2, "at least patience rounds: " + consolidations);
        assertTrue(consolidations < 100, "consolidation stops after patience rounds without a better agreement");
        assertEquals(consolidations, d.snapshot().consolidationRounds());
        assertEquals(offsets, d.positions(), "consolidation covers no new offset");
        assertEquals(trained, d.snapshot().trainedExamples(), "consolidation trains no new example");
        assertFalse(d.consolidationDue(t + TimeUnit.HOURS.toNanos(1)), "stays stopped while nothing new arrives");

        // New data: a new round, then consolidation may run again once the stream pauses.
        String fresh = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "c-new-" + i)
                .filter(id -> !new HeldOutSplit(10).isHeldOut(id)).findFirst().orElseThrow();
        d.accept(item(150, fresh, 5), t);
        assertFalse(d.consolidationDue(t + idle));
        assertTrue(d.roundDue(t + idle));
        assertEquals(RoundResult.Kind.NEW, d.runRound().kind());
        assertTrue(d.consolidationDue(t + idle), "new data restarts consolidation");
        assertFalse(d.consolidationDue(t + idle - 1));
    }

    @Test
    void withoutPatienceThereIsNoConsolidationButAnExplicitRoundStillTrainsOnReplay() {
        Distiller d = new Distiller(model, settings(16, Long.MAX_VALUE), Map.of(), null, n -> { }, null);
        for (int i = 0; i < 40; i++) {
            d.accept(item(i, "p-" + i, i), 0);
        }
        d.runRound();
        assertFalse(d.consolidationDue(Long.MAX_VALUE), "patience 0: no idle rounds");
        RoundResult forced = d.runRound(); // what POST /v1/trainer/checkpoint runs with nothing new waiting
        assertEquals(RoundResult.Kind.CONSOLIDATION, forced.kind());
        assertEquals(1, forced.steps());
    }

    @Test
    void aRoundBehindTheStreamCanSkipItsEvaluationWhichThenNeitherChangesTheLastEvaluationNorIsGateable() {
        Distiller d = new Distiller(model, settings(16, Long.MAX_VALUE), Map.of(), null, n -> { }, null);
        for (int i = 0; i < 40; i++) {
            d.accept(item(i, "e-" + i, i * 3), 0);
            if (d.roundDue(0)) {
                assertTrue(d.runRound(true).evaluated());
            }
        }
        Evaluation before = d.snapshot().evaluation();
        assertTrue(before.measured());
        for (int i = 40; i < 80 && !d.roundDue(0); i++) {
            d.accept(item(i, "e-" + i, i * 3), 0);
        }
        RoundResult skipped = d.runRound(false);
        assertEquals(RoundResult.Kind.NEW, skipped.kind());
        assertTrue(skipped.newExamples() > 0 && skipped.steps() == 1, "it still trains: " + skipped);
        assertFalse(skipped.evaluated());
        assertFalse(skipped.evaluation().measured());
        assertSame(before, d.snapshot().evaluation(), "the last evaluation is still the earlier one");
        RoundResult consolidation = d.runRound(false); // nothing new waits: a consolidation round, always evaluated
        assertEquals(RoundResult.Kind.CONSOLIDATION, consolidation.kind());
        assertTrue(consolidation.evaluated() && consolidation.evaluation().measured());
    }
}
