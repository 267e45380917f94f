package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;

import dev.distillery.cascade.AgreementOf;
import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.IntakeItem;

/**
 * The trainer's recipe, free of Kafka and Quarkus: takes the labeled topic's records in order, splits them into train
 * and held-out, trains rounds of new examples mixed with replay (or, while the stream pauses, consolidation rounds
 * over the replay buffer), evaluates on the held-out slice, and remembers what the last checkpoint covered. Confined
 * to the one training thread (DJL allows one gradient collector per JVM). The step loop is {@link OptimizerSteps},
 * the measuring {@link HeldOutEvaluator}, the averaging {@link WeightAverage}.
 *
 * <p>One concern, the recipe: what happens to each record, when a round runs and what it trains on, and the counters
 * that follow from it (a little over 350 lines, most of them the counters and their snapshot).
 *
 * <p>Restart: built with the offsets of the checkpoint the model was restored from, it still reads the topic from the
 * beginning; records before those offsets refill the replay buffer and the held-out slice but are not trained on
 * again, records from them on are new. Ids seen before are duplicates whichever side of the offsets they fall on.
 */
public final class Distiller {

    private final StudentModel model;
    private final TrainingSettings settings;
    private final CascadeSettings cascade;
    private final HeldOutSplit split;
    private final ReplayBuffer replay;
    private final ReplayEpochs epochs;
    private final Random random;
    private final TopicPositions positions;
    private final Set<String> seenIds = new HashSet<>();
    private final List<Example> pending = new ArrayList<>();
    private final LengthAugmentation augmentation;
    private final OptimizerSteps steps;
    private final HeldOutEvaluator heldOut;
    private final WeightAverage average = new WeightAverage();

    private long examplesSeen;
    private long trainExamples;
    private long heldOutExamples;
    private long duplicates;
    private long rejected;
    private long rounds;
    private long trainedExamples;
    private long restoredExamples;
    private long deferralsSeen;
    private long trainedDeferrals;
    private long firstPendingNanos;
    /** When the last new training example arrived (the stream counts as paused {@code idleInterval} after it). */
    private long lastArrivalNanos;
    private boolean arrived;
    private long consolidationRounds;
    /** Consolidation rounds since the last new data, for the learning-rate decay. */
    private int consolidationsSinceNew;
    /** Consecutive consolidation rounds whose held-out agreement did not beat {@link #bestAgreement}. */
    private int roundsWithoutGain;
    /** Best held-out agreement since new data last arrived (the bar consolidation rounds must beat). */
    private double bestAgreement = Double.NaN;
    private double lastLoss = Double.NaN;
    private Evaluation lastEvaluation = Evaluation.NONE;
    private boolean trainedSinceCheckpoint;

    /**
     * @param resumeOffsets for each {@code topic-partition}, the next offset the model's checkpoint covers (empty for a
     *                      fresh model)
     * @param lastPublished the checkpoint the model was restored from, or null
     * @param stepNanosSink receives every optimizer step's duration (metrics)
     * @param checkpointLoader loads a published checkpoint (for predictions), so the gate can measure it on the same
     *                      held-out examples as a candidate; null when only the stored agreements are compared
     */
    public Distiller(StudentModel model, TrainingSettings settings, Map<String, Long> resumeOffsets,
            PublishedCheckpoint lastPublished, LongConsumer stepNanosSink,
            Function<PublishedCheckpoint, StudentModel> checkpointLoader) {
        this(model, settings, CascadeSettings.DEFAULT, resumeOffsets, lastPublished, stepNanosSink, checkpointLoader,
                LengthAugmentation.off());
    }

    /**
     * @param cascade      the confidence calibration target and the replay priority of deferral examples
     * @param augmentation turns a share of every training batch into longer texts of the same labels
     */
    public Distiller(StudentModel model, TrainingSettings settings, CascadeSettings cascade,
            Map<String, Long> resumeOffsets,
            PublishedCheckpoint lastPublished, LongConsumer stepNanosSink,
            Function<PublishedCheckpoint, StudentModel> checkpointLoader, LengthAugmentation augmentation) {
        this.augmentation = augmentation;
        this.model = model;
        this.settings = settings;
        this.cascade = cascade;
        this.split = new HeldOutSplit(settings.heldOutPercent());
        this.replay = new ReplayBuffer(settings.replaySize(), settings.seed(), cascade.deferralWeight());
        this.epochs = new ReplayEpochs(replay);
        this.random = new Random(settings.seed() + 1);
        this.positions = new TopicPositions(resumeOffsets);
        this.steps = new OptimizerSteps(model, augmentation, settings.tokenDropout(),
                new WeightEma(settings.emaHalfLifeSteps()), random, stepNanosSink);
        this.heldOut = new HeldOutEvaluator(model.labels(), settings.heldOutMax(), cascade,
                lastPublished, checkpointLoader);
    }

    /** Takes the next record of its partition. */
    public void accept(IntakeItem item, long nowNanos) {
        positions.taken(item);
        lastArrivalNanos = nowNanos;
        arrived = true;
        if (item instanceof IntakeItem.Skipped) {
            rejected++;
            return;
        }
        Example example = ((IntakeItem.Accepted) item).example();
        if (!seenIds.add(example.id())) {
            duplicates++;
            return;
        }
        examplesSeen++;
        if (example.deferral()) {
            deferralsSeen++;
        }
        if (split.isHeldOut(example.id())) {
            heldOutExamples++;
            heldOut.add(example);
            return;
        }
        trainExamples++;
        augmentation.observe(example);
        if (positions.covered(item)) {
            replay.add(example);
            trainedExamples++;
            restoredExamples++;
            if (example.deferral()) {
                trainedDeferrals++;
            }
        } else {
            if (pending.isEmpty()) {
                firstPendingNanos = nowNanos;
            }
            pending.add(example);
            roundsWithoutGain = 0; // new data: consolidation may run again after it
        }
    }

    /** True once every partition's position reached the offsets the restored checkpoint covers. */
    public boolean caughtUp() {
        return positions.caughtUp();
    }

    /**
     * A round of new examples is due when B wait, when T passed since the first of them arrived, or when the stream
     * paused (nothing arrived for the idle interval): waiting longer would only delay what is there.
     */
    public boolean roundDue(long nowNanos) {
        return pending.size() >= settings.batchSize()
                || (!pending.isEmpty() && (nowNanos - firstPendingNanos >= settings.roundIntervalNanos()
                        || idle(nowNanos)));
    }

    /**
     * A consolidation round is due when the stream paused (nothing new waits and nothing arrived for the idle
     * interval), the replay buffer holds examples, and fewer than {@code patience} consolidation rounds in a row
     * failed to improve held-out agreement since new data last arrived.
     */
    public boolean consolidationDue(long nowNanos) {
        return settings.patience() > 0 && pending.isEmpty() && replay.size() > 0
                && roundsWithoutGain < settings.patience()
                && idle(nowNanos);
    }

    private boolean idle(long nowNanos) {
        return !arrived || nowNanos - lastArrivalNanos >= settings.idleIntervalNanos();
    }

    /**
     * Runs a round: over the waiting examples mixed with replay when some wait, else a consolidation round over the
     * replay buffer when it holds examples, else only an evaluation (nothing to train on).
     */
    public RoundResult runRound() {
        return runRound(true);
    }

    /**
     * As {@link #runRound()}; {@code evaluate} false skips the held-out evaluation after a round of new examples (a
     * consolidation round is always evaluated): the result is then {@linkplain RoundResult#evaluated() not
     * evaluated} and must not be gated, and the last evaluation stays the one of earlier weights.
     */
    public RoundResult runRound(boolean evaluate) {
        if (pending.isEmpty() && replay.size() > 0) {
            return runConsolidationRound();
        }
        return runNewRound(evaluate);
    }

    /** K optimizer steps over the waiting examples mixed with replay (none when nothing waits), then evaluates. */
    private RoundResult runNewRound(boolean evaluate) {
        List<Example> fresh = new ArrayList<>(pending);
        FreshBatches batches = new FreshBatches(fresh, replay, settings.stepBatchSize(), settings.replayFraction(),
                random);
        OptimizerSteps.Run run = steps.run(fresh.isEmpty() ? 0 : settings.stepsPerRound(), batches::next,
                settings.learningRate());
        for (Example example : fresh) {
            replay.add(example);
            if (example.deferral()) {
                trainedDeferrals++;
            }
        }
        trainedExamples += fresh.size();
        pending.clear();
        roundDone(run);
        if (evaluate) {
            evaluate();
        }
        if (run.steps() > 0) {
            // New data starts a new consolidation phase: full learning rate, a fresh bar and a fresh patience.
            consolidationsSinceNew = 0;
            roundsWithoutGain = 0;
            bestAgreement = evaluate ? lastEvaluation.agreement() : Double.NaN;
            epochs.restart(); // reshuffle to include the new examples
            average.reset();
        }
        return result(RoundResult.Kind.NEW, run, fresh.size(), batches.replayed(), evaluate);
    }

    /**
     * K optimizer steps over the replay buffer only, walking it in a shuffled order (an epoch, then a new order), at
     * the learning rate times {@code consolidationLrDecay} per consolidation round since new data last arrived. Covers
     * no new example, so no new offset beyond what is already taken.
     */
    public RoundResult runConsolidationRound() {
        double lr = settings.learningRate() * Math.max(settings.consolidationMinLrFactor(),
                Math.pow(settings.consolidationLrDecay(), consolidationsSinceNew + 1));
        OptimizerSteps.Run run = steps.run(replay.size() == 0 ? 0 : settings.stepsPerRound(),
                () -> epochs.nextBatch(settings.stepBatchSize(), random), lr);
        if (run.steps() > 0) {
            consolidationRounds++;
            consolidationsSinceNew++;
        }
        roundDone(run);
        evaluate();
        if (run.steps() > 0) {
            if (settings.averageWeights()) {
                lastEvaluation = average.roundEnd(model, lastEvaluation, heldOut);
            }
            double agreement = lastEvaluation.agreement();
            if (Double.isFinite(agreement) && !(agreement <= bestAgreement)) {
                bestAgreement = agreement;
                roundsWithoutGain = 0;
            } else {
                roundsWithoutGain++;
            }
        }
        return result(RoundResult.Kind.CONSOLIDATION, run, 0, run.slots());
    }

    private void roundDone(OptimizerSteps.Run run) {
        if (run.steps() > 0) {
            rounds++;
            trainedSinceCheckpoint = true;
            lastLoss = run.meanLoss();
        }
    }

    private RoundResult result(RoundResult.Kind kind, OptimizerSteps.Run run, int newExamples, int replayed) {
        return result(kind, run, newExamples, replayed, true);
    }

    /** Not evaluated: {@link Evaluation#NONE}, not the last evaluation, which is of earlier weights. */
    private RoundResult result(RoundResult.Kind kind, OptimizerSteps.Run run, int newExamples, int replayed,
            boolean evaluated) {
        return new RoundResult(rounds, kind, run.steps(), newExamples, replayed, run.meanLoss(), run.meanStepMillis(),
                run.examplesPerSecond(), evaluated ? lastEvaluation : Evaluation.NONE, evaluated);
    }

    /** Agreement with the teacher on the held-out slice, overall and per teacher label. */
    public Evaluation evaluate() {
        lastEvaluation = heldOut.evaluate(model);
        return lastEvaluation;
    }

    /** What the calibration targets (target agreement, whose agreement, deferral weight). */
    public CascadeSettings cascade() {
        return cascade;
    }

    /** The current model's calibration from the last evaluation, one per confidence score (empty before one). */
    public List<CascadeCalibration> calibration() {
        return heldOut.calibration();
    }

    /** See {@link HeldOutEvaluator#lastPublishedAgreement()}. */
    public OptionalDouble lastPublishedAgreement() {
        return heldOut.lastPublishedAgreement();
    }

    /** See {@link HeldOutEvaluator#lastPublishedEvaluation()}. */
    public Optional<Evaluation> lastPublishedEvaluation() {
        return heldOut.lastPublishedEvaluation();
    }

    /**
     * Records a written checkpoint of the current model, evaluated by the last {@link #evaluate()}; it covers
     * {@link #positions()} as they were when it was built.
     */
    public void markPublished(PublishedCheckpoint checkpoint) {
        trainedSinceCheckpoint = false;
        heldOut.markPublished(checkpoint);
    }

    /** Releases the published model kept for comparisons (the training model is the caller's). */
    public void closeChampion() {
        heldOut.closeChampion();
    }

    /** Whether the model changed since the last checkpoint (a forced checkpoint with nothing new is a no-op). */
    public boolean trainedSinceCheckpoint() {
        return trainedSinceCheckpoint;
    }

    /** Next offset per {@code topic-partition} of everything taken so far: what a checkpoint written now covers. */
    public Map<String, Long> positions() {
        return positions.covering();
    }

    /** Metrics stored in the checkpoint manifest and the announcement. */
    public Map<String, Double> checkpointMetrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (lastEvaluation.measured()) {
            metrics.put("heldOutAgreement", lastEvaluation.agreement());
            lastEvaluation.byLabel().forEach((label, value) -> metrics.put("heldOutAgreement." + label, value));
            lastEvaluation.byLength().forEach((bucket, value) -> metrics.put("heldOutAgreementByLength." + bucket,
                    value));
        }
        metrics.put("heldOutExamples", (double) lastEvaluation.examples());
        if (!Double.isNaN(lastLoss)) {
            metrics.put("loss", lastLoss);
        }
        metrics.put("examplesSeen", (double) examplesSeen);
        metrics.put("trainedExamples", (double) trainedExamples);
        metrics.put("rounds", (double) rounds);
        metrics.put("consolidationRounds", (double) consolidationRounds);
        metrics.put("trainedDeferrals", (double) trainedDeferrals);
        metrics.put("cascadeTargetAgreement", cascade.targetAgreement());
        // 1: the thresholds bound every served answer's agreement, not only the kept ones' (AgreementOf.SERVED)
        metrics.put("cascadeBoundsServed", cascade.agreementOf() == AgreementOf.SERVED ? 1.0 : 0.0);
        for (CascadeCalibration c : heldOut.calibration()) {
            metrics.putAll(c.metrics());
        }
        return metrics;
    }

    public Snapshot snapshot() {
        return new Snapshot(examplesSeen, trainExamples, heldOutExamples, duplicates, rejected, rounds,
                consolidationRounds, pending.size(), trainedExamples, restoredExamples, replay.size(), lastLoss,
                lastEvaluation, Optional.ofNullable(heldOut.lastPublished()), deferralsSeen, trainedDeferrals);
    }

    public StudentModel model() {
        return model;
    }

    /** Ids a round may train on: waiting examples and the replay buffer (for tests of the split). */
    Set<String> trainableIds() {
        Set<String> ids = new HashSet<>();
        pending.forEach(e -> ids.add(e.id()));
        replay.sample(replay.size(), new Random(0)).forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** Ids of the held-out queries, joined texts aside (for tests of the split and benchmarks of calibration). */
    public Set<String> heldOutIds() {
        return heldOut.queryIds();
    }

    /**
     * Counters for status and metrics; immutable.
     *
     * @param trainedExamples  training examples covered by a round of this process or by the restored checkpoint
     * @param restoredExamples training examples the restored checkpoint already covered (replayed, not trained again)
     * @param deferralsSeen    examples that came from a student's deferral
     * @param trainedDeferrals those of them covered by a round (or by the restored checkpoint)
     */
    public record Snapshot(long examplesSeen, long trainExamples, long heldOutExamples, long duplicates, long rejected,
            long rounds, long consolidationRounds, int pendingExamples, long trainedExamples, long restoredExamples,
            int replayExamples, double lastLoss, Evaluation evaluation, Optional<PublishedCheckpoint> lastPublished,
            long deferralsSeen, long trainedDeferrals) {
    }
}
