package dev.distillery.trainer;

import java.util.List;
import java.util.Map;

import dev.distillery.model.Prediction;

/**
 * How well the student's confidence matches how often it is right, against a teacher whose distribution q is the
 * truth's posterior: the expected accuracy of a prediction is q(predicted label), so no sampling noise enters.
 *
 * @param meanConfidence mean of the student's top probability
 * @param expectedAccuracy mean q(student's label): how often the student would be right on the stochastic truth
 * @param ece     expected calibration error over 10 equal-width confidence bins (|confidence - accuracy|, weighted)
 * @param klToTeacher mean KL(q || student) in nats
 * @param sampledAccuracy accuracy against one drawn true label per text
 */
record Calibration(double meanConfidence, double expectedAccuracy, double ece, double klToTeacher,
        double sampledAccuracy) {

    static Calibration of(List<Prediction> predictions, List<Map<String, Double>> teacher, List<String> labels,
            List<String> drawn) {
        int bins = 10;
        double[] conf = new double[bins];
        double[] acc = new double[bins];
        int[] count = new int[bins];
        double confSum = 0;
        double accSum = 0;
        double kl = 0;
        int hits = 0;
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            Map<String, Double> q = teacher.get(i);
            double expected = q.getOrDefault(p.label(), 0.0);
            int bin = Math.min(bins - 1, (int) (p.confidence() * bins));
            conf[bin] += p.confidence();
            acc[bin] += expected;
            count[bin]++;
            confSum += p.confidence();
            accSum += expected;
            for (Map.Entry<String, Double> e : q.entrySet()) {
                double s = Math.max(1e-12, p.probabilities().get(labels.indexOf(e.getKey())));
                kl += e.getValue() * Math.log(e.getValue() / s);
            }
            hits += p.label().equals(drawn.get(i)) ? 1 : 0;
        }
        int n = predictions.size();
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += (double) count[b] / n * Math.abs(conf[b] / count[b] - acc[b] / count[b]);
            }
        }
        return new Calibration(confSum / n, accSum / n, ece, kl / n, (double) hits / n);
    }
}
