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
    MARGIN;

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
        return this == PROBABILITY ? first : first - second;
    }

    /** The name used in configuration and in checkpoint metric keys ({@code probability}, {@code margin}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConfidenceScore fromKey(String key) {
        for (ConfidenceScore s : values()) {
            if (s.key().equalsIgnoreCase(key.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown confidence score '" + key + "'; use probability or margin");
    }
}
