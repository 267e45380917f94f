package dev.distillery.cascade;

import java.util.List;
import java.util.Locale;

import dev.distillery.model.Prediction;

/**
 * How sure the student is of one answer: the number the cascade compares with a checkpoint's calibrated threshold.
 * Both are read off the same softmax; the trainer calibrates both on every checkpoint so their coverages can be
 * compared (see the student README), and the student serves with the one it is configured for.
 */
public enum ConfidenceScore {

    /** The arg-max label's probability. */
    PROBABILITY,

    /** The arg-max probability minus the runner-up's: low when two labels compete, whatever the rest of the mass. */
    MARGIN,

    /**
     * The log-odds of the arg-max over the runner-up, {@code ln(p1 / p2)} (the logit gap): ranks like the margin when
     * two labels compete, but does not saturate: a confident student puts most answers, right and wrong, at margins
     * within 0.01 of 1, where the log-odds still spread them (2 to 20 nats), and a softmax temperature does not
     * change its order.
     */
    LOG_ODDS;

    /**
     * The score a student serves with unless configured otherwise ({@code distillery.student.cascade.score}), and the
     * one whose calibrated coverage the trainer's gate weighs.
     */
    public static final String DEFAULT_KEY = "margin";

    /** Floor of a probability in the log-odds (a float softmax may round a runner-up to 0). */
    private static final double MIN_PROBABILITY = 1e-45;

    public double of(Prediction p) {
        return of(p.probabilities());
    }

    public double of(List<Double> probabilities) {
        double first = 0;
        double second = 0;
        for (double v : probabilities) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return switch (this) {
            case PROBABILITY -> first;
            case MARGIN -> first - second;
            case LOG_ODDS -> Math.log(Math.max(first, MIN_PROBABILITY)) - Math.log(Math.max(second, MIN_PROBABILITY));
        };
    }

    /**
     * The name used in configuration and in checkpoint metric keys ({@code probability}, {@code margin},
     * {@code log-odds}).
     */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@link #DEFAULT_KEY} as a score. */
    public static ConfidenceScore defaultScore() {
        return fromKey(DEFAULT_KEY);
    }

    public static ConfidenceScore fromKey(String key) {
        for (ConfidenceScore s : values()) {
            if (s.key().equalsIgnoreCase(key.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown confidence score '" + key + "'; use probability, margin or log-odds");
    }
}
