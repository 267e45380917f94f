package dev.distillery.trainer.training;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides whether a candidate is published: only when its held-out agreement is at least the last published
 * checkpoint's plus {@code minDelta}, so a student never moves to a worse adapter.
 * <ul>
 * <li>No checkpoint yet: publish (something must be served first; later ones must then beat it).</li>
 * <li>{@code alwaysPublish}: publish every candidate.</li>
 * <li>Forced (POST /v1/trainer/checkpoint): the delta is waived, never the no-regression rule: a candidate
 * at least as good as the last published one is published (it covers more examples, so offsets move on).</li>
 * <li>Unmeasurable candidate (no held-out examples yet): refused unless forced, since the gate cannot tell.</li>
 * <li>Slices: a candidate that passes overall is still refused when, in any length bucket or teacher label holding
 * at least {@code minBucketExamples} held-out examples, it agrees less than the last published checkpoint on the same
 * examples by more than {@code bucketTolerance} and more than one example (forced or not): a better average over
 * short queries or common labels must not buy a worse student on paragraphs or on one language. A label is compared
 * by its F1 ({@link Evaluation#f1ByLabel()}), not by the agreement on its examples: an early student that answers
 * {@code ot} for nearly everything agrees on most {@code ot} examples, and by that measure refused every later
 * candidate of a demo run (0.94 overall against its 0.50) for a worse {@code ot}. A label counts only
 * when it lands under {@link #LABEL_FLOOR}: each holds about a thirteenth of the slice, and its swings of a few
 * examples from round to round would otherwise refuse nearly every candidate (a demo run published 4 checkpoints
 * instead of 16, the served one 2.5 points behind candidates refused for a label going 0.99 to 0.96).</li>
 * <li>Cascade coverage ({@link Evaluation#cascadeCoverage()}, the share of the slice the threshold calibrated on it
 * lets the student answer; both sides calibrated on the slice as it is now): a candidate that agrees better, though
 * by less than {@link #CLEAR_AGREEMENT_GAIN}, but covers less by more than {@code coverageTolerance} is refused, and
 * one that covers more by at least {@code coverageTolerance} is published when it agrees no less than the last
 * published checkpoint minus {@code agreementTolerance}. Why: from round to round of a demo run the held-out agreement moved by a few examples
 * in 1,752 (noise) while the calibrated coverage swung 0.71-0.84, and a gate that looked at agreement alone
 * replaced a checkpoint covering 0.844 with one covering 0.713 for one example more (trainer README, stop 18).
 * Forced or not; not for the first checkpoint, nor when either side has no coverage figure.</li>
 * </ul>
 */
public final class EvaluationGate {

    /** Agreements are ratios of small counts: tolerate float noise when comparing equal ones. */
    private static final double EPSILON = 1e-9;

    /** Held-out examples a length bucket or label needs before the gate trusts its figure. */
    public static final int DEFAULT_MIN_BUCKET_EXAMPLES = 20;
    /** Drop in a bucket's or label's agreement tolerated as noise (about one example in fifty). */
    public static final double DEFAULT_BUCKET_TOLERANCE = 0.02;
    /** A label's drop is a regression only when it ends under this (issue 10: no label under 0.90). */
    public static final double LABEL_FLOOR = 0.90;
    /** Change in calibrated cascade coverage that counts: a loss refuses, a gain may publish. */
    public static final double DEFAULT_COVERAGE_TOLERANCE = 0.01;
    /** Agreement a candidate may lose to the last published checkpoint when it wins on coverage (~3 in 1,750). */
    public static final double DEFAULT_AGREEMENT_TOLERANCE = 0.002;
    /**
     * An agreement gain this large is published whatever the coverage: the student's own answers are what callers
     * without the cascade get, and a noisy coverage figure must not hold a clearly better student back for long.
     */
    public static final double CLEAR_AGREEMENT_GAIN = 0.01;

    private final double minDelta;
    private final boolean alwaysPublish;
    private final int minBucketExamples;
    private final double bucketTolerance;
    private final double coverageTolerance;
    private final double agreementTolerance;

    public EvaluationGate(double minDelta, boolean alwaysPublish) {
        this(minDelta, alwaysPublish, DEFAULT_MIN_BUCKET_EXAMPLES, DEFAULT_BUCKET_TOLERANCE);
    }

    public EvaluationGate(double minDelta, boolean alwaysPublish, int minBucketExamples, double bucketTolerance) {
        this(minDelta, alwaysPublish, minBucketExamples, bucketTolerance, DEFAULT_COVERAGE_TOLERANCE,
                DEFAULT_AGREEMENT_TOLERANCE);
    }

    public EvaluationGate(double minDelta, boolean alwaysPublish, int minBucketExamples, double bucketTolerance,
            double coverageTolerance, double agreementTolerance) {
        if (minBucketExamples < 1 || !(bucketTolerance >= 0 && bucketTolerance < 1)) {
            throw new IllegalArgumentException("min-bucket-examples must be >= 1 and bucket-tolerance in [0, 1)");
        }
        if (!(coverageTolerance >= 0 && coverageTolerance < 1 && agreementTolerance >= 0 && agreementTolerance < 1)) {
            throw new IllegalArgumentException("coverage-tolerance and agreement-tolerance must be in [0, 1)");
        }
        this.minDelta = minDelta;
        this.alwaysPublish = alwaysPublish;
        this.minBucketExamples = minBucketExamples;
        this.bucketTolerance = bucketTolerance;
        this.coverageTolerance = coverageTolerance;
        this.agreementTolerance = agreementTolerance;
    }

    /**
     * The overall rule of {@link #decide(double, OptionalDouble, boolean)}, then the slice rule by length and by label.
     *
     * @param lastPublished          the last published checkpoint scored on the same held-out slice, when it could be
     * @param lastPublishedAgreement its overall agreement (empty when nothing was published)
     */
    public GateDecision decide(Evaluation candidate, Optional<Evaluation> lastPublished,
            OptionalDouble lastPublishedAgreement, boolean forced) {
        GateDecision agreement = decide(candidate.agreement(), lastPublishedAgreement, forced);
        if (alwaysPublish || lastPublished.isEmpty()) {
            return agreement;
        }
        Evaluation last = lastPublished.get();
        GateDecision overall = withCoverage(agreement, candidate, last);
        if (!overall.publish()) {
            return overall;
        }
        return regression("texts of %s characters", "agreement", candidate.byLength(), candidate.countByLength(),
                last.byLength(), last.countByLength(), 1.0)
                .or(() -> regression("label %s", "F1", candidate.f1ByLabel(), candidate.countByLabel(),
                        last.f1ByLabel(), last.countByLabel(), LABEL_FLOOR))
                .map(slice -> GateDecision.refuse(slice + "; overall " + overall.reason()))
                .orElse(overall);
    }

    /** The coverage rule (see the class comment) applied to the agreement rule's decision. */
    private GateDecision withCoverage(GateDecision agreement, Evaluation candidate, Evaluation last) {
        double now = candidate.cascadeCoverage();
        double was = last.cascadeCoverage();
        if (Double.isNaN(now) || Double.isNaN(was) || Double.isNaN(candidate.agreement())
                || Double.isNaN(last.agreement())) {
            return agreement;
        }
        String coverage = String.format(Locale.ROOT, "cascade coverage %.4f vs %.4f for the last published", now, was);
        if (agreement.publish() && now + EPSILON < was - coverageTolerance
                && candidate.agreement() < last.agreement() + CLEAR_AGREEMENT_GAIN - EPSILON) {
            return GateDecision.refuse(coverage + " (tolerance " + coverageTolerance + "); " + agreement.reason());
        }
        if (!agreement.publish() && now + EPSILON >= was + coverageTolerance
                && candidate.agreement() + EPSILON >= last.agreement() - agreementTolerance) {
            return GateDecision.publish(coverage + String.format(Locale.ROOT,
                    " at agreement %.4f vs %.4f (tolerance %s)", candidate.agreement(), last.agreement(),
                    agreementTolerance));
        }
        return agreement.publish() ? GateDecision.publish(agreement.reason() + "; " + coverage) : agreement;
    }

    /**
     * The first slice (named by {@code naming}) where {@code now} agrees less than {@code before} beyond noise and
     * under {@code floor}.
     */
    private Optional<String> regression(String naming, String measure, Map<String, Double> now,
            Map<String, Integer> nowCounts, Map<String, Double> before, Map<String, Integer> beforeCounts,
            double floor) {
        for (Map.Entry<String, Double> slice : now.entrySet()) {
            Double was = before.get(slice.getKey());
            int n = Math.min(nowCounts.getOrDefault(slice.getKey(), 0), beforeCounts.getOrDefault(slice.getKey(), 0));
            // One example more or less is noise in a small slice, whatever the tolerance says.
            double allowed = Math.max(bucketTolerance, 1.0 / Math.max(1, n));
            if (was != null && n >= minBucketExamples && slice.getValue() + EPSILON < was - allowed
                    && slice.getValue() < floor) {
                return Optional.of(String.format(Locale.ROOT, naming, slice.getKey()) + String.format(Locale.ROOT,
                        ": %s %.4f vs %.4f for the last published on %d examples (tolerance %.3f)",
                        measure, slice.getValue(), was, n, allowed));
            }
        }
        return Optional.empty();
    }

    /**
     * @param candidate     held-out agreement of the candidate (NaN when not measurable)
     * @param lastPublished agreement of the last published checkpoint, empty when there is none (NaN inside when it
     *                      was published unmeasured)
     */
    public GateDecision decide(double candidate, OptionalDouble lastPublished, boolean forced) {
        if (lastPublished.isEmpty()) {
            return GateDecision.publish("first checkpoint");
        }
        if (alwaysPublish) {
            return GateDecision.publish("always-publish");
        }
        double last = lastPublished.getAsDouble();
        if (Double.isNaN(candidate)) {
            return forced
                    ? GateDecision.publish("forced; no held-out examples to compare")
                    : GateDecision.refuse("no held-out examples to compare");
        }
        if (Double.isNaN(last)) {
            return GateDecision.publish("last checkpoint was unmeasured");
        }
        double threshold = forced ? last : last + minDelta;
        String comparison = String.format(Locale.ROOT, "agreement %.4f vs threshold %.4f (last published %.4f%s)",
                candidate, threshold, last, forced ? ", forced" : "");
        return candidate + EPSILON >= threshold
                ? GateDecision.publish(comparison)
                : GateDecision.refuse(comparison);
    }

    public int minBucketExamples() {
        return minBucketExamples;
    }

    public double bucketTolerance() {
        return bucketTolerance;
    }

    public double minDelta() {
        return minDelta;
    }

    public boolean alwaysPublish() {
        return alwaysPublish;
    }
}
