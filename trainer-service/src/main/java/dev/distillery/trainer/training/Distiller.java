package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

import dev.distillery.agreement.AgreementTally;
import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.model.Prediction;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.IntakeItem;

/**
 * The trainer's state machine, free of Kafka and Quarkus: takes the labeled topic's records in order, splits them into
 * train and held-out, batches new training examples into rounds mixed with replay, evaluates, and remembers what the
 * last checkpoint covered. Confined to the one training thread (DJL allows one gradient collector per JVM).
 *
 * <p>Restart: built with the offsets of the checkpoint the model was restored from, it still reads the topic from the
 * beginning; records before those offsets refill the replay buffer and the held-out slice but are not trained on
 * again, records from them on are new. Ids seen before are duplicates whichever side of the offsets they fall on.
 */
public final class Distiller {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Distiller.class);

    private static final int EVAL_BATCH = 64;

    private final StudentModel model;
    private final List<String> labels;
    private final Settings settings;
    private final HeldOutSplit split;
    private final ReplayBuffer replay;
    private final Random random;
    private final Map<String, Long> resumeOffsets;
    private final Map<String, Long> positions = new HashMap<>();
    private final Set<String> seenIds = new HashSet<>();
    /** The held-out queries and, appended as they fill up, longer texts joined from them ({@link HeldOutJoiner}). */
    private final List<Example> heldOut = new ArrayList<>();
    private final HeldOutJoiner joiner = new HeldOutJoiner();
    private final List<Example> pending = new ArrayList<>();
    private final LongConsumer stepNanosSink;
    private final Function<PublishedCheckpoint, StudentModel> checkpointLoader;
    private final LengthAugmentation augmentation;
    /** The last published model, for predictions only: loaded when the held-out slice outgrows its cached answers. */
    private StudentModel champion;
    /** The last published model's answer for each held-out example, by index (the slice only grows). */
    private List<String> championAnswers = new ArrayList<>();
    /** The current model's answers from the last evaluation, by held-out index. */
    private List<String> lastAnswers = new ArrayList<>();
    private final CascadeSettings cascade;
    /** The current model's confidence calibration from the last evaluation, one per score. */
    private List<CascadeCalibration> lastCalibration = List.of();
    private long deferralsSeen;
    private long trainedDeferrals;

    private long examplesSeen;
    private long trainExamples;
    private long heldOutExamples;
    private long duplicates;
    private long rejected;
    private long rounds;
    private long trainedExamples;
    private long restoredExamples;
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
    /** Running mean of the trainable weights at the ends of consolidation rounds since new data (null: none yet). */
    private Map<String, float[]> average;
    private int averaged;
    private long averageKept;
    /** Replay examples in a shuffled order, walked by consolidation rounds: epochs over what has been seen. */
    private List<Example> epochOrder = new ArrayList<>();
    private int epochCursor;
    private double lastLoss = Double.NaN;
    private Evaluation lastEvaluation = Evaluation.NONE;
    private PublishedCheckpoint lastPublished;
    private boolean trainedSinceCheckpoint;

    /**
     * @param resumeOffsets for each {@code topic-partition}, the next offset the model's checkpoint covers (empty for a
     *                      fresh model)
     * @param lastPublished the checkpoint the model was restored from, or null
     * @param stepNanosSink receives every optimizer step's duration (metrics)
     * @param checkpointLoader loads a published checkpoint (for predictions), so the gate can measure it on the same
     *                      held-out examples as a candidate; null when only the stored agreements are compared
     */
    public Distiller(StudentModel model, Settings settings, Map<String, Long> resumeOffsets,
            PublishedCheckpoint lastPublished, LongConsumer stepNanosSink,
            Function<PublishedCheckpoint, StudentModel> checkpointLoader) {
        this(model, settings, CascadeSettings.DEFAULT, resumeOffsets, lastPublished, stepNanosSink, checkpointLoader,
                LengthAugmentation.off());
    }

    /**
     * @param cascade      the confidence calibration target and the replay priority of deferral examples
     * @param augmentation turns a share of every training batch into longer texts of the same labels
     */
    public Distiller(StudentModel model, Settings settings, CascadeSettings cascade, Map<String, Long> resumeOffsets,
            PublishedCheckpoint lastPublished, LongConsumer stepNanosSink,
            Function<PublishedCheckpoint, StudentModel> checkpointLoader, LengthAugmentation augmentation) {
        this.augmentation = augmentation;
        this.model = model;
        this.labels = model.labels();
        this.settings = settings;
        this.cascade = cascade;
        this.split = new HeldOutSplit(settings.heldOutPercent());
        this.replay = new ReplayBuffer(settings.replaySize(), settings.seed(), cascade.deferralWeight());
        this.random = new Random(settings.seed() + 1);
        this.resumeOffsets = Map.copyOf(resumeOffsets);
        this.lastPublished = lastPublished;
        this.stepNanosSink = stepNanosSink;
        this.checkpointLoader = checkpointLoader;
    }

    /** Takes the next record of its partition. */
    public void accept(IntakeItem item, long nowNanos) {
        positions.merge(item.partition(), item.offset() + 1, Math::max);
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
            if (heldOut.size() < settings.heldOutMax()) {
                heldOut.add(example);
                joiner.add(example).ifPresent(heldOut::add);
            }
            return;
        }
        trainExamples++;
        augmentation.observe(example);
        if (covered(item)) {
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
        for (Map.Entry<String, Long> e : resumeOffsets.entrySet()) {
            if (positions.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
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
        if (pending.isEmpty() && replay.size() > 0) {
            return runConsolidationRound();
        }
        return runNewRound();
    }

    /**
     * K optimizer steps over the replay buffer only, walking it in a shuffled order (an epoch, then a new order), at
     * the learning rate times {@code consolidationLrDecay} per consolidation round since new data last arrived. Covers
     * no new example, so no new offset beyond what is already taken.
     */
    public RoundResult runConsolidationRound() {
        int steps = replay.size() == 0 ? 0 : settings.stepsPerRound();
        double lr = settings.learningRate() * Math.max(settings.consolidationMinLrFactor(),
                Math.pow(settings.consolidationLrDecay(), consolidationsSinceNew + 1));
        int slots = 0;
        double lossSum = 0;
        int finiteSteps = 0;
        long stepNanos = 0;
        for (int s = 0; s < steps; s++) {
            List<Example> batch = augmentation.apply(nextEpochBatch(settings.stepBatchSize()), random);
            long start = System.nanoTime();
            double loss = model.trainStep(texts(batch), targets(batch), lr);
            long took = System.nanoTime() - start;
            stepNanos += took;
            stepNanosSink.accept(took);
            if (Double.isFinite(loss)) {
                lossSum += loss;
                finiteSteps++;
            }
            slots += batch.size();
        }
        if (steps > 0) {
            rounds++;
            consolidationRounds++;
            consolidationsSinceNew++;
            trainedSinceCheckpoint = true;
            lastLoss = finiteSteps == 0 ? Double.NaN : lossSum / finiteSteps;
        }
        lastEvaluation = evaluate();
        if (steps > 0 && settings.averageWeights()) {
            lastEvaluation = averageWeights(lastEvaluation);
        }
        double agreement = lastEvaluation.agreement();
        if (steps > 0) {
            if (Double.isFinite(agreement) && !(agreement <= bestAgreement)) {
                bestAgreement = agreement;
                roundsWithoutGain = 0;
            } else {
                roundsWithoutGain++;
            }
        }
        return new RoundResult(rounds, RoundResult.Kind.CONSOLIDATION, steps, 0, slots,
                finiteSteps == 0 ? Double.NaN : lossSum / finiteSteps,
                steps == 0 ? Double.NaN : stepNanos / 1e6 / steps,
                stepNanos == 0 ? Double.NaN : slots / (stepNanos / 1e9), lastEvaluation);
    }

    /**
     * Stochastic weight averaging over the ends of consolidation rounds since new data: held-out agreement swings by
     * several points between consecutive rounds, and the running mean of the round-end weights sits in the middle of
     * those swings. The model keeps whichever of the current and the averaged weights agrees better (training then
     * goes on from it); the same held-out slice the gate uses decides, as for early stopping.
     */
    private Evaluation averageWeights(Evaluation current) {
        Map<String, float[]> weights = model.trainableSnapshot();
        if (average == null) {
            average = weights;
            averaged = 1;
            return current;
        }
        averaged++;
        for (Map.Entry<String, float[]> e : average.entrySet()) {
            float[] avg = e.getValue();
            float[] w = weights.get(e.getKey());
            for (int i = 0; i < avg.length; i++) {
                avg[i] += (w[i] - avg[i]) / averaged;
            }
        }
        List<String> currentAnswers = lastAnswers;
        List<CascadeCalibration> currentCalibration = lastCalibration;
        model.setTrainable(average);
        Evaluation averagedEvaluation = evaluate();
        if (averagedEvaluation.agreement() + 1e-9 >= current.agreement()) {
            averageKept++;
            return averagedEvaluation;
        }
        model.setTrainable(weights);
        lastAnswers = currentAnswers;
        lastCalibration = currentCalibration;
        return current;
    }

    private List<Example> nextEpochBatch(int size) {
        List<Example> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            if (epochCursor >= epochOrder.size()) {
                epochOrder = replay.epoch(random); // a fresh shuffled pass over the buffer, deferrals weighted
                epochCursor = 0;
            }
            batch.add(epochOrder.get(epochCursor++));
            if (batch.size() >= epochOrder.size() && epochCursor >= epochOrder.size()) {
                break; // a buffer smaller than a batch: one pass is the batch
            }
        }
        return batch;
    }

    /** K optimizer steps over the waiting examples mixed with replay (none when nothing waits), then evaluates. */
    private RoundResult runNewRound() {
        List<Example> fresh = new ArrayList<>(pending);
        Collections.shuffle(fresh, random);
        int steps = fresh.isEmpty() ? 0 : settings.stepsPerRound();
        int stepBatch = settings.stepBatchSize();
        int cursor = 0;
        int replayed = 0;
        int slots = 0;
        double lossSum = 0;
        int finiteSteps = 0;
        long stepNanos = 0;
        for (int s = 0; s < steps; s++) {
            int wantReplay = replay.size() == 0 ? 0 : (int) Math.round(stepBatch * settings.replayFraction());
            int newCount = Math.max(1, Math.min(stepBatch - wantReplay, fresh.size()));
            List<Example> batch = new ArrayList<>(stepBatch);
            for (int i = 0; i < newCount; i++) {
                batch.add(fresh.get(cursor));
                cursor = (cursor + 1) % fresh.size();
                if (cursor == 0) {
                    Collections.shuffle(fresh, random);
                }
            }
            List<Example> fromReplay = replay.sample(stepBatch - batch.size(), random);
            replayed += fromReplay.size();
            batch.addAll(fromReplay);
            batch = augmentation.apply(batch, random);
            long start = System.nanoTime();
            double loss = model.trainStep(texts(batch), targets(batch), settings.learningRate());
            long took = System.nanoTime() - start;
            stepNanos += took;
            stepNanosSink.accept(took);
            if (Double.isFinite(loss)) { // the model skips a non-finite step; it must not blank the round's loss
                lossSum += loss;
                finiteSteps++;
            }
            slots += batch.size();
        }
        for (Example example : fresh) {
            replay.add(example);
            if (example.deferral()) {
                trainedDeferrals++;
            }
        }
        trainedExamples += fresh.size();
        pending.clear();
        if (steps > 0) {
            rounds++;
            trainedSinceCheckpoint = true;
            lastLoss = finiteSteps == 0 ? Double.NaN : lossSum / finiteSteps;
        }
        lastEvaluation = evaluate();
        if (steps > 0) {
            // New data starts a new consolidation phase: full learning rate, a fresh bar and a fresh patience.
            consolidationsSinceNew = 0;
            roundsWithoutGain = 0;
            bestAgreement = lastEvaluation.agreement();
            epochCursor = epochOrder.size(); // reshuffle to include the new examples
            average = null;
        }
        RoundResult result = new RoundResult(rounds, RoundResult.Kind.NEW, steps, fresh.size(), replayed,
                finiteSteps == 0 ? Double.NaN : lossSum / finiteSteps,
                steps == 0 ? Double.NaN : stepNanos / 1e6 / steps,
                stepNanos == 0 ? Double.NaN : slots / (stepNanos / 1e9),
                lastEvaluation);
        return result;
    }

    /** Agreement with the teacher on the held-out slice, overall and per teacher label. */
    public Evaluation evaluate() {
        if (heldOut.isEmpty()) {
            lastEvaluation = Evaluation.NONE;
            return lastEvaluation;
        }
        List<Prediction> predictions = predictions(model, 0);
        lastAnswers = predictions.stream().map(Prediction::label).toList();
        lastCalibration = calibrate(predictions);
        lastEvaluation = score(lastAnswers);
        return lastEvaluation;
    }

    /** The confidence threshold of each score for the model's held-out answers (see {@link CascadeCalibration}). */
    private List<CascadeCalibration> calibrate(List<Prediction> predictions) {
        List<CascadeCalibration> out = new ArrayList<>();
        // Only the queries as they came: the texts joined from them are not independent draws, and a bound that
        // counted them would claim more certainty than the slice holds.
        int[] asCame = java.util.stream.IntStream.range(0, predictions.size())
                .filter(i -> !HeldOutJoiner.isJoined(heldOut.get(i))).toArray();
        boolean[] agrees = new boolean[asCame.length];
        for (int k = 0; k < asCame.length; k++) {
            agrees[k] = heldOut.get(asCame[k]).label().equals(predictions.get(asCame[k]).label());
        }
        for (ConfidenceScore score : ConfidenceScore.values()) {
            double[] scores = java.util.Arrays.stream(asCame).mapToDouble(i -> score.of(predictions.get(i))).toArray();
            out.add(CascadeCalibration.calibrate(score, scores, agrees, cascade.targetAgreement(),
                    CascadeCalibration.Z95));
        }
        return out;
    }

    /** The current model's calibration from the last evaluation, one per confidence score (empty before one). */
    public List<CascadeCalibration> calibration() {
        return lastCalibration;
    }

    /**
     * Overall and by label over the held-out queries as they came; by length over them and the texts joined from
     * them (the only long ones a stream of short queries has).
     */
    private Evaluation score(List<String> answers) {
        AgreementTally tally = new AgreementTally();
        AgreementTally lengths = new AgreementTally();
        for (int i = 0; i < heldOut.size(); i++) {
            Example e = heldOut.get(i);
            lengths.add(e.text(), e.label(), answers.get(i));
            if (!HeldOutJoiner.isJoined(e)) {
                tally.add(e.text(), e.label(), answers.get(i));
            }
        }
        Map<String, Double> seen = tally.byLabel();
        Map<String, Double> byLabel = new LinkedHashMap<>();
        for (String label : labels) {
            if (seen.containsKey(label)) {
                byLabel.put(label, seen.get(label));
            }
        }
        return new Evaluation(tally.agreement(), byLabel, tally.total(), lengths.byLength(), lengths.countByLength());
    }

    /** Arg-max answers of a model for the held-out examples from index {@code from} on. */
    private List<String> answers(StudentModel m, int from) {
        return predictions(m, from).stream().map(Prediction::label).toList();
    }

    private List<Prediction> predictions(StudentModel m, int from) {
        List<Prediction> out = new ArrayList<>(heldOut.size() - from);
        for (int start = from; start < heldOut.size(); start += EVAL_BATCH) {
            List<Example> chunk = heldOut.subList(start, Math.min(heldOut.size(), start + EVAL_BATCH));
            out.addAll(m.predict(texts(chunk)));
        }
        return out;
    }

    /**
     * The gate's baseline: agreement of the last published checkpoint on the held-out slice as it is now (the slice
     * grows as examples arrive, so the agreement stored at publish time was measured on fewer, maybe unrepresentative,
     * examples). Empty when nothing was published.
     */
    public OptionalDouble lastPublishedAgreement() {
        if (lastPublished == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(lastPublishedEvaluation().map(Evaluation::agreement)
                .orElse(heldOut.isEmpty() ? Double.NaN : lastPublished.heldOutAgreement()));
    }

    /**
     * The last published checkpoint scored on the held-out slice as it is now, overall and per label; empty when
     * nothing was published, the slice is empty, or the checkpoint cannot be loaded back.
     */
    public Optional<Evaluation> lastPublishedEvaluation() {
        if (lastPublished == null || heldOut.isEmpty()) {
            return Optional.empty();
        }
        if (championAnswers.size() < heldOut.size()) {
            if (checkpointLoader == null) {
                return Optional.empty();
            }
            if (champion == null) {
                try {
                    champion = checkpointLoader.apply(lastPublished);
                } catch (RuntimeException e) {
                    LOG.warnf("comparing with v%d's stored agreement: %s", lastPublished.version(), e.getMessage());
                    return Optional.empty();
                }
            }
            championAnswers.addAll(answers(champion, championAnswers.size()));
        }
        return Optional.of(score(championAnswers));
    }

    /**
     * Records a written checkpoint of the current model, evaluated by the last {@link #evaluate()}; it covers
     * {@link #positions()} as they were when it was built.
     */
    public void markPublished(PublishedCheckpoint checkpoint) {
        this.lastPublished = checkpoint;
        this.trainedSinceCheckpoint = false;
        if (champion != null) {
            champion.close();
            champion = null;
        }
        championAnswers = new ArrayList<>(lastAnswers);
    }

    /** Releases the published model kept for comparisons (the training model is the caller's). */
    public void closeChampion() {
        if (champion != null) {
            champion.close();
            champion = null;
        }
    }

    /** Whether the model changed since the last checkpoint (a forced checkpoint with nothing new is a no-op). */
    public boolean trainedSinceCheckpoint() {
        return trainedSinceCheckpoint;
    }

    /** Next offset per {@code topic-partition} of everything taken so far: what a checkpoint written now covers. */
    public Map<String, Long> positions() {
        Map<String, Long> covered = new HashMap<>(resumeOffsets);
        positions.forEach((partition, next) -> covered.merge(partition, next, Math::max));
        return Map.copyOf(covered);
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
        for (CascadeCalibration c : lastCalibration) {
            metrics.putAll(c.metrics());
        }
        return metrics;
    }

    public Snapshot snapshot() {
        return new Snapshot(examplesSeen, trainExamples, heldOutExamples, duplicates, rejected, rounds,
                consolidationRounds, pending.size(), trainedExamples, restoredExamples, replay.size(), lastLoss,
                lastEvaluation, Optional.ofNullable(lastPublished));
    }

    public StudentModel model() {
        return model;
    }

    /** Examples that came from a student's deferral: seen, and covered by a round (or the restored checkpoint). */
    public long deferralsSeen() {
        return deferralsSeen;
    }

    public long trainedDeferrals() {
        return trainedDeferrals;
    }

    /** Ids a round may train on: waiting examples and the replay buffer (for tests of the split). */
    java.util.Set<String> trainableIds() {
        Set<String> ids = new HashSet<>();
        pending.forEach(e -> ids.add(e.id()));
        replay.sample(replay.size(), new Random(0)).forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** Ids of the held-out queries, joined texts aside (for tests of the split). */
    java.util.Set<String> heldOutIds() {
        Set<String> ids = new HashSet<>();
        heldOut.stream().filter(e -> !HeldOutJoiner.isJoined(e)).forEach(e -> ids.add(e.id()));
        return ids;
    }

    private boolean covered(IntakeItem item) {
        return item.offset() < resumeOffsets.getOrDefault(item.partition(), 0L);
    }

    private static List<String> texts(List<Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        for (Example e : examples) {
            texts.add(e.text());
        }
        return texts;
    }

    private static float[][] targets(List<Example> examples) {
        float[][] targets = new float[examples.size()][];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = examples.get(i).target();
        }
        return targets;
    }

    /**
     * Counters for status and metrics; immutable.
     *
     * @param trainedExamples  training examples covered by a round of this process or by the restored checkpoint
     * @param restoredExamples training examples the restored checkpoint already covered (replayed, not trained again)
     */
    public record Snapshot(long examplesSeen, long trainExamples, long heldOutExamples, long duplicates, long rejected,
            long rounds, long consolidationRounds, int pendingExamples, long trainedExamples, long restoredExamples, int replayExamples, double lastLoss,
            Evaluation evaluation, Optional<PublishedCheckpoint> lastPublished) {
    }

    /**
     * The cascade's side of training (from {@code distillery.trainer.cascade.*}).
     *
     * @param targetAgreement agreement the kept answers must reach as a 95% lower bound
     * @param deferralWeight  how much more often replay draws an example that came from a deferral
     */
    public record CascadeSettings(double targetAgreement, double deferralWeight) {

        public static final CascadeSettings DEFAULT = new CascadeSettings(0.99, 4);

        public CascadeSettings {
            if (!(targetAgreement > 0 && targetAgreement < 1)) {
                throw new IllegalArgumentException("cascade target-agreement must be in (0, 1), got " + targetAgreement);
            }
            if (!(deferralWeight >= 1)) {
                throw new IllegalArgumentException("cascade deferral-weight must be >= 1, got " + deferralWeight);
            }
        }
    }

    /**
     * The round and split parameters (from {@code distillery.trainer.*}).
     *
     * @param idleIntervalNanos       the stream counts as paused when nothing new arrived for this long
     * @param patience                consolidation rounds in a row without a better held-out agreement after which
     *                                consolidation stops until new data arrives (0: no consolidation rounds)
     * @param consolidationLrDecay    learning-rate factor per consolidation round since new data (1: constant)
     * @param consolidationMinLrFactor floor of that factor
     * @param averageWeights          keep a running mean of the weights over consolidation rounds and use it when it
     *                                agrees at least as well as the current weights
     */
    public record Settings(int batchSize, long roundIntervalNanos, int stepsPerRound, int stepBatchSize,
            double replayFraction, int replaySize, double learningRate, double heldOutPercent, int heldOutMax,
            long seed, long idleIntervalNanos, int patience, double consolidationLrDecay,
            double consolidationMinLrFactor, boolean averageWeights) {

        /** Without consolidation rounds (idle interval never reached). */
        public Settings(int batchSize, long roundIntervalNanos, int stepsPerRound, int stepBatchSize,
                double replayFraction, int replaySize, double learningRate, double heldOutPercent, int heldOutMax,
                long seed) {
            this(batchSize, roundIntervalNanos, stepsPerRound, stepBatchSize, replayFraction, replaySize, learningRate,
                    heldOutPercent, heldOutMax, seed, Long.MAX_VALUE, 0, 1.0, 1.0, false);
        }

        public Settings {
            if (patience < 0 || idleIntervalNanos < 0) {
                throw new IllegalArgumentException("patience and idle-interval must be >= 0");
            }
            if (!(consolidationLrDecay > 0 && consolidationLrDecay <= 1 && consolidationMinLrFactor > 0
                    && consolidationMinLrFactor <= 1)) {
                throw new IllegalArgumentException("consolidation lr decay and its floor must be in (0, 1]");
            }
            if (batchSize < 1 || stepsPerRound < 1 || stepBatchSize < 1) {
                throw new IllegalArgumentException("batch-size, steps-per-round and step-batch-size must be >= 1");
            }
            if (!(replayFraction >= 0 && replayFraction < 1)) {
                throw new IllegalArgumentException("replay-fraction must be in [0, 1), got " + replayFraction);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning-rate must be > 0, got " + learningRate);
            }
        }
    }
}
