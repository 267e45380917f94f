package dev.distillery.trainer.training;

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
