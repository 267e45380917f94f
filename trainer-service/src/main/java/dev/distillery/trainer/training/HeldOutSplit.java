package dev.distillery.trainer.training;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic train / held-out split by a hash of the example id: the same id lands on the same side on every
 * run and every machine, so a restart rebuilds the same held-out slice and never trains on it.
 */
public final class HeldOutSplit {

    private static final int BUCKETS = 10_000;

    private final int heldOutBuckets;

    /** @param percent share held out, 0 to 100 (fractions allowed, in steps of 0.01) */
    public HeldOutSplit(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("held-out percent must be in [0, 100], got " + percent);
        }
        this.heldOutBuckets = (int) Math.round(percent * BUCKETS / 100.0);
    }

    public boolean isHeldOut(String id) {
        return bucket(id) < heldOutBuckets;
    }

    /** 0 .. 9999 from the first 8 bytes of sha256(id): uniform, unlike String.hashCode on similar ids. */
    static int bucket(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
