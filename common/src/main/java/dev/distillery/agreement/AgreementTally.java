package dev.distillery.agreement;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of student answers that match a reference (the teacher's label, or a true label), overall, by reference
 * label and by {@link LengthBucket}: the one way the trainer, the demo report and {@code ./distillery eval} score a
 * student. Not thread-safe.
 */
public final class AgreementTally {

    private final Map<String, int[]> byLabel = new TreeMap<>();
    private final Map<String, Integer> answered = new TreeMap<>();
    private final Map<LengthBucket, int[]> byLength = new java.util.EnumMap<>(LengthBucket.class);
    private int agreed;
    private int total;

    /** Records one answer: {@code reference} is what the student should have said about {@code text}. */
    public void add(String text, String reference, String answer) {
        boolean same = reference.equals(answer);
        total++;
        agreed += same ? 1 : 0;
        count(byLabel.computeIfAbsent(reference, l -> new int[2]), same);
        answered.merge(answer, 1, Integer::sum);
        count(byLength.computeIfAbsent(LengthBucket.of(text), b -> new int[2]), same);
    }

    private static void count(int[] counts, boolean same) {
        counts[1]++;
        counts[0] += same ? 1 : 0;
    }

    public int total() {
        return total;
    }

    /** Share of answers that matched; NaN when none was recorded. */
    public double agreement() {
        return total == 0 ? Double.NaN : agreed / (double) total;
    }

    /** Share by reference label, for labels seen (sorted by label). */
    public Map<String, Double> byLabel() {
        Map<String, Double> out = new LinkedHashMap<>();
        byLabel.forEach((label, c) -> out.put(label, c[0] / (double) c[1]));
        return out;
    }

    /** Share by length bucket name, for buckets seen, shortest first. */
    public Map<String, Double> byLength() {
        Map<String, Double> out = new LinkedHashMap<>();
        byLength.forEach((bucket, c) -> out.put(bucket.label(), c[0] / (double) c[1]));
        return out;
    }

    /** Examples by length bucket name, shortest first (the gate only trusts buckets with enough of them). */
    public Map<String, Integer> countByLength() {
        Map<String, Integer> out = new LinkedHashMap<>();
        byLength.forEach((bucket, c) -> out.put(bucket.label(), c[1]));
        return out;
    }

    /** How often each label was answered (sorted by label). */
    public Map<String, Integer> answeredByLabel() {
        return new LinkedHashMap<>(answered);
    }

    /** Examples by reference label. */
    public Map<String, Integer> countByLabel() {
        Map<String, Integer> out = new LinkedHashMap<>();
        byLabel.forEach((label, c) -> out.put(label, c[1]));
        return out;
    }
}
