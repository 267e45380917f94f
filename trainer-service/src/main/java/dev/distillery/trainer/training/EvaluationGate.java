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
 * <li>Length: a candidate that passes overall is still refused when, in any length bucket holding at least
 * {@code minBucketExamples} held-out examples, it agrees less than the last published checkpoint on the same examples
 * by more than {@code bucketTolerance} and more than one example (forced or not): a better average over short
 * queries must not buy a worse student on paragraphs.</li>
 * </ul>
 */
public final class EvaluationGate {

    /** Agreements are ratios of small counts: tolerate float noise when comparing equal ones. */
    private static final double EPSILON = 1e-9;

    /** Held-out examples a length bucket needs before the gate trusts its figure. */
    public static final int DEFAULT_MIN_BUCKET_EXAMPLES = 20;
    /** Drop in a bucket's agreement tolerated as noise (about one example in fifty). */
    public static final double DEFAULT_BUCKET_TOLERANCE = 0.02;

    private final double minDelta;
    private final boolean alwaysPublish;
    private final int minBucketExamples;
    private final double bucketTolerance;

    public EvaluationGate(double minDelta, boolean alwaysPublish) {
        this(minDelta, alwaysPublish, DEFAULT_MIN_BUCKET_EXAMPLES, DEFAULT_BUCKET_TOLERANCE);
    }

    public EvaluationGate(double minDelta, boolean alwaysPublish, int minBucketExamples, double bucketTolerance) {
        if (minBucketExamples < 1 || !(bucketTolerance >= 0 && bucketTolerance < 1)) {
            throw new IllegalArgumentException("min-bucket-examples must be >= 1 and bucket-tolerance in [0, 1)");
        }
        this.minDelta = minDelta;
        this.alwaysPublish = alwaysPublish;
        this.minBucketExamples = minBucketExamples;
        this.bucketTolerance = bucketTolerance;
    }

    /**
     * The overall rule of {@link #decide(double, OptionalDouble, boolean)}, then the length rule.
     *
     * @param lastPublished          the last published checkpoint scored on the same held-out slice, when it could be
     * @param lastPublishedAgreement its overall agreement (empty when nothing was published)
     */
    public GateDecision decide(Evaluation candidate, Optional<Evaluation> lastPublished,
            OptionalDouble lastPublishedAgreement, boolean forced) {
        GateDecision overall = decide(candidate.agreement(), lastPublishedAgreement, forced);
        if (!overall.publish() || alwaysPublish || lastPublished.isEmpty()) {
            return overall;
        }
        Evaluation last = lastPublished.get();
        for (Map.Entry<String, Double> bucket : candidate.byLength().entrySet()) {
            Double before = last.byLength().get(bucket.getKey());
            int n = Math.min(candidate.countByLength().getOrDefault(bucket.getKey(), 0),
                    last.countByLength().getOrDefault(bucket.getKey(), 0));
            // One text more or less is noise in a small bucket, whatever the tolerance says.
            double allowed = Math.max(bucketTolerance, 1.0 / Math.max(1, n));
            if (before != null && n >= minBucketExamples && bucket.getValue() + EPSILON < before - allowed) {
                return GateDecision.refuse(String.format(Locale.ROOT,
                        "texts of %s characters: agreement %.4f vs %.4f for the last published on %d examples "
                                + "(tolerance %.3f); overall %s", bucket.getKey(), bucket.getValue(), before, n,
                        allowed, overall.reason()));
            }
        }
        return overall;
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
