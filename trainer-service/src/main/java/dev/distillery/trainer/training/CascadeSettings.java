package dev.distillery.trainer.training;

import dev.distillery.cascade.AgreementOf;

/**
 * The cascade's side of training (from {@code distillery.trainer.cascade.*}).
 *
 * @param targetAgreement agreement the kept (or served) answers must reach as a 95% lower bound
 * @param deferralWeight  how much more often replay draws an example that came from a deferral
 * @param agreementOf     whose agreement the threshold bounds: the student's kept answers or every served one
 */
public record CascadeSettings(double targetAgreement, double deferralWeight, AgreementOf agreementOf) {

    public static final CascadeSettings DEFAULT = new CascadeSettings(0.99, 4);

    /** Bounding the agreement of every served answer, the default. */
    public CascadeSettings(double targetAgreement, double deferralWeight) {
        this(targetAgreement, deferralWeight, AgreementOf.SERVED);
    }

    public CascadeSettings {
        if (!(targetAgreement > 0 && targetAgreement < 1)) {
            throw new IllegalArgumentException("cascade target-agreement must be in (0, 1), got " + targetAgreement);
        }
        if (!(deferralWeight >= 1)) {
            throw new IllegalArgumentException("cascade deferral-weight must be >= 1, got " + deferralWeight);
        }
        java.util.Objects.requireNonNull(agreementOf, "agreementOf");
    }
}
