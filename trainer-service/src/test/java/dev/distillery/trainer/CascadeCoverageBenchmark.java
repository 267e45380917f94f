package dev.distillery.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.Prediction;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.IntakeItem;
import dev.distillery.trainer.training.CascadeSettings;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.TrainingSettings;

/**
 * Coverage of the cascade over time, with and without the replay priority of deferrals (the same {@link Distiller}
 * the service runs, without Kafka or HTTP). The student first learns from a warm-up stream (the built-in demo queries,
 * 25% held out for calibration, consolidation rounds after it); then a second stream (a query file, default the
 * recipe's {@code tinker_multilingual.txt}) is served one query at a time: the student keeps what reaches the current
 * threshold ({@code -Dbench.score}, default margin) and defers the rest, which the teacher (the rules) labels and the
 * trainer takes as deferral examples, exactly as the cascade feeds {@code distill.labeled}. Each 64 deferrals make a
 * round; its calibration gives the next threshold. Printed per window of the served stream: coverage and the served
 * answers' agreement with the teacher, for {@code deferral-weight} 1 (no priority) and 4 (the default).
 *
 * <p>Simplification: the served threshold is the current model's after every round (the service serves the last
 * gated checkpoint's). Not a test: it prints numbers.
 */
public final class CascadeCoverageBenchmark {

    private static final int WINDOW = Integer.getInteger("bench.window", 300);

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/tinker_multilingual.txt");
        if (!Files.exists(file)) {
            System.err.println("no query file at " + file.toAbsolutePath() + "; pass its path as the first argument");
            System.exit(2);
        }
        List<String> warmup = new ArrayList<>(RulesTeacher.demoQueries());
        Collections.shuffle(warmup, new Random(7));
        List<String> served = new ArrayList<>(Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList());
        Collections.shuffle(served, new Random(11));
        ConfidenceScore score = ConfidenceScore.fromKey(System.getProperty("bench.score", "margin"));
        double target = Double.parseDouble(System.getProperty("bench.target", "0.99"));
        System.out.printf("warm-up %d demo queries (25%% held out), then %d served queries of %s; score %s, target %.3f%n",
                warmup.size(), served.size(), file.getFileName(), score.key(), target);
        for (double weight : new double[] {1, 4}) {
            run(warmup, served, score, target, weight);
        }
    }

    private static void run(List<String> warmup, List<String> served, ConfidenceScore score, double target,
            double weight) {
        TrainingSettings settings = new TrainingSettings(64, Long.MAX_VALUE, 8, 32, 0.5, 4096, 3e-3, 25, 2000, 42,
                java.util.concurrent.TimeUnit.DAYS.toNanos(1), 12, 0.95, 0.1, false,
                TrainingSettings.DEFAULT_TOKEN_DROPOUT, TrainingSettings.DEFAULT_EMA_HALF_LIFE_STEPS);
        long start = System.nanoTime();
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(),
                RulesTeacher.TASK.labels(), "cpu", 42)) {
            Distiller d = new Distiller(model, settings, new CascadeSettings(target, weight), Map.of(), null,
                    n -> { }, null, dev.distillery.trainer.training.LengthAugmentation.off());
            long offset = 0;
            for (int i = 0; i < warmup.size(); i++) {
                d.accept(item(offset++, "w-" + i, warmup.get(i), false), System.nanoTime());
                if (d.roundDue(System.nanoTime())) {
                    d.runRound();
                }
            }
            d.runRound();
            for (int c = 0; c < 12 && d.consolidationDue(Long.MAX_VALUE); c++) {
                d.runConsolidationRound();
            }
            System.out.printf("%n deferral-weight %.0f: after warm-up, held-out agreement %.4f, %s threshold %s%n",
                    weight, d.evaluate().agreement(), score.key(), threshold(d, score).map(t -> String.format("%.4f", t))
                            .orElse("none"));
            System.out.printf(" %-10s %-9s %-10s %-9s %-9s %s%n", "served", "coverage", "agreement", "deferred",
                    "rounds", "threshold");
            int kept = 0;
            int agreed = 0;
            int deferred = 0;
            int totalKept = 0;
            int totalAgreed = 0;
            for (int i = 0; i < served.size(); i++) {
                String text = served.get(i);
                String teacher = RulesTeacher.label(text);
                Prediction p = model.predict(List.of(text)).get(0);
                Optional<Double> t = threshold(d, score);
                if (t.isPresent() && score.of(p) >= t.get()) {
                    kept++;
                    totalKept++;
                    if (teacher.equals(p.label())) {
                        agreed++;
                        totalAgreed++;
                    }
                } else {
                    agreed++; // the teacher's answer is served
                    deferred++;
                    d.accept(item(offset++, "s-" + i, text, true), System.nanoTime());
                    if (d.roundDue(System.nanoTime())) {
                        d.runRound();
                    }
                }
                if ((i + 1) % WINDOW == 0 || i + 1 == served.size()) {
                    int n = (i % WINDOW) + 1;
                    System.out.printf(" %-10d %-9.3f %-10.4f %-9d %-9d %s%n", i + 1, kept / (double) n,
                            agreed / (double) n, deferred, d.snapshot().rounds(),
                            threshold(d, score).map(x -> String.format("%.4f", x)).orElse("none"));
                    kept = 0;
                    agreed = 0;
                }
            }
            System.out.printf(" whole served stream: coverage %.3f, student's own answers agree %.4f, deferral examples"
                    + " trained %d, %.0f s%n", totalKept / (double) served.size(),
                    totalKept == 0 ? Double.NaN : totalAgreed / (double) totalKept, d.snapshot().trainedDeferrals(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static Optional<Double> threshold(Distiller d, ConfidenceScore score) {
        return d.calibration().stream().filter(c -> c.score() == score).findFirst()
                .flatMap(CascadeCalibration::threshold);
    }

    private static IntakeItem item(long offset, String id, String text, boolean deferral) {
        String label = RulesTeacher.label(text);
        float[] target = new float[RulesTeacher.TASK.labels().size()];
        target[RulesTeacher.TASK.labelIndex(label)] = 1f;
        return new IntakeItem.Accepted("bench-0", offset,
                new Example(id, text, label, target, RulesTeacher.TASK.formatAnswer(label), deferral));
    }
}
