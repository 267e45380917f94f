package dev.distillery.cascade;

import java.util.Locale;

/**
 * Whose agreement with the teacher a cascade threshold bounds.
 *
 * <p>{@link #ANSWERED}: the answers the student keeps (issue 11's first definition). The strictest: a handful of
 * confident errors at the top of the ranking leave no threshold at all, since a 95% bound at 0.99 allows 0 errors in
 * 268 kept answers, 1 in 457, 2 in 700. {@link #SERVED}: every answer a caller gets, the student's kept ones and the
 * teacher's for the rest (which agree with the teacher by definition): the figure a caller of the cascade sees, and the
 * trainer's default. The same errors then count against all the calibration examples, so a few confident errors cost
 * a few points of coverage instead of all of it. It assumes the deployment defers at least as often as the
 * calibration set did; the shadow audit in the student shows when the kept answers drift.
 */
public enum AgreementOf {
    ANSWERED,
    SERVED;

    /** The name in configuration ({@code answered}, {@code served}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgreementOf fromKey(String key) {
        for (AgreementOf a : values()) {
            if (a.key().equalsIgnoreCase(key.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown agreement-of '" + key + "'; use answered or served");
    }
}
