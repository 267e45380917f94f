package dev.distillery.trainer.training;

import java.util.Locale;
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
 * </ul>
 */
public final class EvaluationGate {

    /** Agreements are ratios of small counts: tolerate float noise when comparing equal ones. */
    private static final double EPSILON = 1e-9;

    private final double minDelta;
    private final boolean alwaysPublish;

    public EvaluationGate(double minDelta, boolean alwaysPublish) {
        this.minDelta = minDelta;
        this.alwaysPublish = alwaysPublish;
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

    public double minDelta() {
        return minDelta;
    }

    public boolean alwaysPublish() {
        return alwaysPublish;
    }
}
