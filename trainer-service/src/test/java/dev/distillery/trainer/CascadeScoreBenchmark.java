package dev.distillery.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.messages.MessageCodec;
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.Prediction;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.IntakeItem;
import dev.distillery.trainer.training.CascadeSettings;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.HeldOutSplit;
import dev.distillery.trainer.training.LengthAugmentation;
import dev.distillery.trainer.training.TrainingSettings;

/**
 * What limits the cascade's coverage: the student of the demo (the built-in demo queries, 25% held out
 * ({@code -Dbench.heldOut}), length
 * augmentation and consolidation as the service runs them) is calibrated on its held-out queries with each
 * {@link ConfidenceScore}, and each threshold is then applied to queries of another source it never saw (default the
 * recipe's {@code tinker_multilingual.txt}, the file's first 2,000 lines). Printed per score: the held-out threshold and
 * its calibrated coverage, the rank of the most confident held-out error, and on the unseen queries the coverage and
 * the agreement of the kept answers. Then the same for a larger calibration set: the held-out queries plus half of the
 * unseen ones (by a hash of the line), measured on the other half, to show what the sample size alone buys. The most
 * confident held-out errors are listed. Not a test: it prints numbers.
 */
public final class CascadeScoreBenchmark {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/tinker_multilingual.txt");
        if (!Files.exists(file)) {
            System.err.println("no query file at " + file.toAbsolutePath() + "; pass its path as the first argument");
            System.exit(2);
        }
        double target = Double.parseDouble(System.getProperty("bench.target", "0.99"));
        int consolidate = Integer.getInteger("bench.consolidate", 12);
        double heldOutPercent = Double.parseDouble(System.getProperty("bench.heldOut", "25"));
        List<String> warmup = new ArrayList<>(RulesTeacher.demoQueries());
        Collections.shuffle(warmup, new Random(Long.getLong("bench.seed", 7)));
        List<String> unseen = Files.readAllLines(file).stream().limit(2000).map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        TrainingSettings settings = new TrainingSettings(64, Long.MAX_VALUE, 8, 32, 0.5, 4096, 3e-3, heldOutPercent, 100_000,
                42, java.util.concurrent.TimeUnit.DAYS.toNanos(1), 12, 0.95, 0.1, false,
                TrainingSettings.DEFAULT_TOKEN_DROPOUT, TrainingSettings.DEFAULT_EMA_HALF_LIFE_STEPS);
        long start = System.nanoTime();
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(),
                RulesTeacher.TASK.labels(), "cpu", 42)) {
            Distiller d = new Distiller(model, settings, CascadeSettings.DEFAULT, Map.of(), null, n -> { },
                    null, new LengthAugmentation(0.3, 0.5, 60, 300, 64));
            HeldOutSplit split = new HeldOutSplit(heldOutPercent);
            List<String> heldOut = new ArrayList<>();
            for (int i = 0; i < warmup.size(); i++) {
                String id = "w-" + i;
                if (split.isHeldOut(id)) {
                    heldOut.add(warmup.get(i));
                }
                d.accept(item(i, id, warmup.get(i)), System.nanoTime());
                if (d.roundDue(System.nanoTime())) {
                    d.runRound();
                }
            }
            d.runRound();
            for (int c = 0; c < consolidate && d.consolidationDue(Long.MAX_VALUE); c++) {
                d.runConsolidationRound();
            }
            System.out.printf("trained on %d demo queries in %.0f s; %d held out, agreement %.4f; %d unseen queries%n",
                    warmup.size() - heldOut.size(), (System.nanoTime() - start) / 1e9, heldOut.size(),
                    d.evaluate().agreement(), unseen.size());
            Scored cal = score(model, heldOut);
            Scored test = score(model, unseen);
            String dump = System.getProperty("bench.dumpScores");
            if (dump != null) { // every answer's probabilities, to try calibration schemes offline
                List<String> more = new ArrayList<>();
                for (int a = 1; a < args.length; a++) {
                    BenchmarkTexts.read(Path.of(args[a]), more, new ArrayList<>());
                }
                StringBuilder b = new StringBuilder();
                for (var set : Map.of("heldOut", cal, "tinker", test, "more", score(model, more)).entrySet()) {
                    for (int i = 0; i < set.getValue().size(); i++) {
                        b.append(MessageCodec.mapper().writeValueAsString(Map.of("set", set.getKey(),
                                "text", set.getValue().texts.get(i), "teacher", set.getValue().teacher[i],
                                "p", set.getValue().predictions.get(i).probabilities()))).append('\n');
                    }
                }
                Files.writeString(Path.of(dump), b);
            }
            System.out.printf("unseen agreement of the student alone: %.4f%n", test.agreement());
            HeldOutSplit half = new HeldOutSplit(50);
            List<String> calExtra = new ArrayList<>(heldOut);
            List<String> testHalf = new ArrayList<>();
            for (int i = 0; i < unseen.size(); i++) {
                (half.isHeldOut("u-" + i) ? calExtra : testHalf).add(unseen.get(i));
            }
            Scored bigCal = score(model, calExtra);
            Scored bigTest = score(model, testHalf);
            System.out.printf("%n%-12s | %-44s | %-26s | %-44s | %s%n", "score", "calibrated on held-out: n, threshold,"
                    + " coverage, 1st error", "unseen: coverage, agree", "held-out + half unseen: n, threshold, cov.",
                    "other half: coverage, agree");
            for (Score s : Score.values()) {
                CascadeCalibration c = s.calibrate(cal, target);
                CascadeCalibration big = s.calibrate(bigCal, target);
                System.out.printf("%-12s | %5d %-12s %.3f  rank %-5d          | %.3f  %.4f (%4d kept) | %5d %-12s %.3f"
                        + "                 | %.3f  %.4f (%d kept)%n", s, cal.size(), fmt(c), c.coverage(),
                        s.firstErrorRank(cal), kept(s, test, c), keptAgreement(s, test, c), keptCount(s, test, c),
                        bigCal.size(), fmt(big), big.coverage(), kept(s, bigTest, big), keptAgreement(s, bigTest, big),
                        keptCount(s, bigTest, big));
            }
            System.out.println("\nmost confident held-out errors (margin):");
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < cal.size(); i++) {
                if (!cal.agrees[i]) {
                    order.add(i);
                }
            }
            order.sort((a, b) -> Double.compare(Score.MARGIN.of(cal, b), Score.MARGIN.of(cal, a)));
            for (int i : order.subList(0, Math.min(12, order.size()))) {
                System.out.printf("  margin %.5f  teacher %-3s student %-3s  %s%n", Score.MARGIN.of(cal, i),
                        cal.teacher[i], cal.predictions.get(i).label(), cal.texts.get(i));
            }
        }
    }

    /** Candidate confidence scores, computed from the same prediction. */
    enum Score {
        PROBABILITY, MARGIN, LOG_ODDS, MARGIN_LENGTH;

        double of(Scored s, int i) {
            Prediction p = s.predictions.get(i);
            return switch (this) {
                case PROBABILITY -> ConfidenceScore.PROBABILITY.of(p);
                case MARGIN -> ConfidenceScore.MARGIN.of(p);
                case LOG_ODDS -> logOdds(p);
                // Short queries carry little evidence: the margin counts fully from 40 characters on.
                case MARGIN_LENGTH -> ConfidenceScore.MARGIN.of(p) * Math.min(1, s.texts.get(i).length() / 40.0);
            };
        }

        private static double logOdds(Prediction p) {
            double first = 0;
            double second = 0;
            for (double v : p.probabilities()) {
                if (v > first) {
                    second = first;
                    first = v;
                } else if (v > second) {
                    second = v;
                }
            }
            return Math.log(Math.max(first, 1e-45)) - Math.log(Math.max(second, 1e-45));
        }

        CascadeCalibration calibrate(Scored s, double target) {
            double[] scores = new double[s.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = of(s, i);
            }
            return CascadeCalibration.calibrate(ConfidenceScore.MARGIN, scores, s.agrees, target,
                    CascadeCalibration.Z95);
        }

        int firstErrorRank(Scored s) {
            int rank = 0;
            double worst = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < s.size(); i++) {
                if (!s.agrees[i]) {
                    worst = Math.max(worst, of(s, i));
                }
            }
            for (int i = 0; i < s.size(); i++) {
                if (of(s, i) > worst) {
                    rank++;
                }
            }
            return rank;
        }
    }

    record Scored(List<String> texts, List<Prediction> predictions, String[] teacher, boolean[] agrees) {
        int size() {
            return texts.size();
        }

        double agreement() {
            int a = 0;
            for (boolean b : agrees) {
                a += b ? 1 : 0;
            }
            return a / (double) agrees.length;
        }
    }

    private static Scored score(StudentModel model, List<String> texts) {
        List<Prediction> predictions = new ArrayList<>();
        for (int s = 0; s < texts.size(); s += 64) {
            predictions.addAll(model.predict(texts.subList(s, Math.min(texts.size(), s + 64))));
        }
        String[] teacher = new String[texts.size()];
        boolean[] agrees = new boolean[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            teacher[i] = RulesTeacher.label(texts.get(i));
            agrees[i] = teacher[i].equals(predictions.get(i).label());
        }
        return new Scored(texts, predictions, teacher, agrees);
    }

    private static String fmt(CascadeCalibration c) {
        return c.threshold().map(t -> String.format("%.6g", t)).orElse("none");
    }

    private static int keptCount(Score s, Scored set, CascadeCalibration c) {
        if (c.threshold().isEmpty()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < set.size(); i++) {
            n += s.of(set, i) >= c.threshold().get() ? 1 : 0;
        }
        return n;
    }

    private static double kept(Score s, Scored set, CascadeCalibration c) {
        return keptCount(s, set, c) / (double) set.size();
    }

    private static double keptAgreement(Score s, Scored set, CascadeCalibration c) {
        if (c.threshold().isEmpty()) {
            return Double.NaN;
        }
        int n = 0;
        int a = 0;
        for (int i = 0; i < set.size(); i++) {
            if (s.of(set, i) >= c.threshold().get()) {
                n++;
                a += set.agrees[i] ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : a / (double) n;
    }

    private static IntakeItem item(long offset, String id, String text) {
        String label = RulesTeacher.label(text);
        float[] target = new float[RulesTeacher.TASK.labels().size()];
        target[RulesTeacher.TASK.labelIndex(label)] = 1f;
        return new IntakeItem.Accepted("bench-0", offset,
                new Example(id, text, label, target, RulesTeacher.TASK.formatAnswer(label), false));
    }
}
