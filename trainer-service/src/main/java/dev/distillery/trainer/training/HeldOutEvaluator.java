package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;

import dev.distillery.agreement.AgreementTally;
import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.model.Prediction;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;

/**
 * The held-out slice and everything measured on it: agreement of the current model with the teacher (overall, by
 * label, by length), its confidence calibration for the cascade, and the same agreement of the last published
 * checkpoint, loaded back for predictions when the slice outgrows its cached answers, so the gate compares both on
 * the same examples.
 */
final class HeldOutEvaluator {

    private static final Logger LOG = Logger.getLogger(HeldOutEvaluator.class);
    /**
     * Parts of the slice predicted at once, each on its own thread: {@code predict} is thread-safe, and the tiny
     * student's small matrix products keep one libtorch call from using both cores (1,997 held-out texts: 2.2-2.5 s
     * in one call or in chunks, 1.2-1.3 s in two parts at once). Evaluation is half of a consolidation round.
     */
    private static final int PARTS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Fewer texts than this per part are not worth a thread. */
    private static final int MIN_PART = 64;

    private final List<String> labels;
    private final int maxQueries;
    private final CascadeSettings cascade;
    private final Function<PublishedCheckpoint, StudentModel> checkpointLoader;
    /** The held-out queries and, appended as they fill up, longer texts joined from them ({@link HeldOutJoiner}). */
    private final List<Example> heldOut = new ArrayList<>();
    private final HeldOutJoiner joiner = new HeldOutJoiner();
    private PublishedCheckpoint lastPublished;
    /** The last published model, for predictions only: loaded when the slice outgrows its cached answers. */
    private StudentModel champion;
    /** The last published model's answer for each held-out example, by index (the slice only grows). */
    private List<Prediction> championAnswers = new ArrayList<>();
    /**
     * Those answers scored and calibrated; null until asked for since they last changed. The gate, the agreement
     * baseline and the status all ask after every round, while the answers change only when the slice grows or a
     * checkpoint is published.
     */
    private Evaluation championEvaluation;
    /** The current model's answers and calibration from the last evaluation. */
    private Answers last = new Answers(List.of(), List.of());

    /**
     * @param checkpointLoader loads a published checkpoint for predictions; null when only the stored agreements are
     *                         compared
     */
    HeldOutEvaluator(List<String> labels, int maxQueries, CascadeSettings cascade, PublishedCheckpoint lastPublished,
            Function<PublishedCheckpoint, StudentModel> checkpointLoader) {
        this.labels = labels;
        this.maxQueries = maxQueries;
        this.cascade = cascade;
        this.lastPublished = lastPublished;
        this.checkpointLoader = checkpointLoader;
    }

    /** Takes a held-out query while the slice has room. */
    void add(Example example) {
        if (heldOut.size() < maxQueries) {
            heldOut.add(example);
            joiner.add(example).ifPresent(heldOut::add);
        }
    }

    boolean isEmpty() {
        return heldOut.isEmpty();
    }

    /** Agreement of the model with the teacher on the slice; remembers its answers and calibration. */
    Evaluation evaluate(StudentModel model) {
        if (heldOut.isEmpty()) {
            return Evaluation.NONE;
        }
        List<Prediction> predictions = predictions(model, 0);
        last = new Answers(predictions, calibrate(predictions));
        return score(last.answers(), last.calibration());
    }

    /** The current model's calibration from the last evaluation, one per confidence score (empty before one). */
    List<CascadeCalibration> calibration() {
        return last.calibration();
    }

    /** What the last evaluation remembered, to put back when its model's weights are put back. */
    Answers lastAnswers() {
        return last;
    }

    void restore(Answers answers) {
        last = answers;
    }

    /** The confidence threshold of each score for the model's held-out answers (see {@link CascadeCalibration}). */
    private List<CascadeCalibration> calibrate(List<Prediction> predictions) {
        List<CascadeCalibration> out = new ArrayList<>();
        // Only the queries as they came: the texts joined from them are not independent draws, and a bound that
        // counted them would claim more certainty than the slice holds.
        int[] asCame = IntStream.range(0, predictions.size())
                .filter(i -> !HeldOutJoiner.isJoined(heldOut.get(i))).toArray();
        boolean[] agrees = new boolean[asCame.length];
        for (int k = 0; k < asCame.length; k++) {
            agrees[k] = heldOut.get(asCame[k]).label().equals(predictions.get(asCame[k]).label());
        }
        for (ConfidenceScore score : ConfidenceScore.values()) {
            double[] scores = Arrays.stream(asCame).mapToDouble(i -> score.of(predictions.get(i))).toArray();
            out.add(CascadeCalibration.calibrate(score, scores, agrees, cascade.targetAgreement(),
                    CascadeCalibration.Z95, cascade.agreementOf()));
        }
        return out;
    }

    /**
     * Overall and by label over the held-out queries as they came; by length over them and the texts joined from
     * them (the only long ones a stream of short queries has).
     */
    private Evaluation score(List<Prediction> answers, List<CascadeCalibration> calibration) {
        AgreementTally tally = new AgreementTally();
        AgreementTally lengths = new AgreementTally();
        for (int i = 0; i < heldOut.size(); i++) {
            Example e = heldOut.get(i);
            lengths.add(e.text(), e.label(), answers.get(i).label());
            if (!HeldOutJoiner.isJoined(e)) {
                tally.add(e.text(), e.label(), answers.get(i).label());
            }
        }
        Map<String, Double> seen = tally.byLabel();
        Map<String, Integer> seenCounts = tally.countByLabel();
        Map<String, Double> byLabel = new LinkedHashMap<>();
        Map<String, Integer> countByLabel = new LinkedHashMap<>();
        for (String label : labels) {
            if (seen.containsKey(label)) {
                byLabel.put(label, seen.get(label));
                countByLabel.put(label, seenCounts.get(label));
            }
        }
        double coverage = calibration.stream().filter(c -> c.score() == ConfidenceScore.defaultScore())
                .mapToDouble(CascadeCalibration::coverage).findFirst().orElse(Double.NaN);
        return new Evaluation(tally.agreement(), byLabel, tally.total(), lengths.byLength(), lengths.countByLength(),
                countByLabel, tally.answeredByLabel(), coverage);
    }

    private List<Prediction> predictions(StudentModel m, int from) {
        List<String> texts = OptimizerSteps.texts(heldOut.subList(from, heldOut.size()));
        int parts = Math.min(PARTS, Math.max(1, texts.size() / MIN_PART));
        int size = (texts.size() + parts - 1) / parts;
        // An ordered parallel stream keeps the answers in slice order; the caller's thread takes a part too.
        return IntStream.range(0, parts).parallel()
                .mapToObj(p -> m.predict(texts.subList(p * size, Math.min(texts.size(), (p + 1) * size))))
                .flatMap(List::stream).toList();
    }

    PublishedCheckpoint lastPublished() {
        return lastPublished;
    }

    /**
     * The gate's baseline: agreement of the last published checkpoint on the held-out slice as it is now (the slice
     * grows as examples arrive, so the agreement stored at publish time was measured on fewer, maybe unrepresentative,
     * examples). Empty when nothing was published.
     */
    OptionalDouble lastPublishedAgreement() {
        if (lastPublished == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(lastPublishedEvaluation().map(Evaluation::agreement)
                .orElse(heldOut.isEmpty() ? Double.NaN : lastPublished.heldOutAgreement()));
    }

    /**
     * The last published checkpoint scored on the held-out slice as it is now: overall, per label, and the coverage
     * of a threshold calibrated on the slice as it is now (the slice grows, and the bound tightens with it). Empty
     * when nothing was published, the slice is empty, or the checkpoint cannot be loaded back.
     */
    Optional<Evaluation> lastPublishedEvaluation() {
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
            championAnswers.addAll(predictions(champion, championAnswers.size()));
            championEvaluation = null;
        }
        if (championEvaluation == null) {
            championEvaluation = score(championAnswers, calibrate(championAnswers));
        }
        return Optional.of(championEvaluation);
    }

    /** The current model, as last evaluated, was published: it is the baseline from now on. */
    void markPublished(PublishedCheckpoint checkpoint) {
        lastPublished = checkpoint;
        closeChampion();
        championAnswers = new ArrayList<>(last.answers());
        championEvaluation = null;
    }

    /** Releases the published model kept for comparisons. */
    void closeChampion() {
        if (champion != null) {
            champion.close();
            champion = null;
        }
    }

    /** Ids of the held-out queries, joined texts aside (for tests of the split). */
    Set<String> queryIds() {
        Set<String> ids = new HashSet<>();
        heldOut.stream().filter(e -> !HeldOutJoiner.isJoined(e)).forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** A model's answers on the slice, by index, and its calibration. */
    record Answers(List<Prediction> answers, List<CascadeCalibration> calibration) {
    }
}
