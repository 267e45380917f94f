package dev.distillery.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;
import dev.distillery.trainer.intake.ExampleValidator;
import dev.distillery.trainer.intake.Validation;
import dev.distillery.trainer.intake.IntakeItem;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.Evaluation;
import dev.distillery.trainer.training.HeldOutSplit;
import dev.distillery.trainer.training.TrainingSettings;

/**
 * Learning curve of the trainer's rounds (the same {@link Distiller} the service runs, without Kafka): held-out
 * agreement with the rules teacher after 250, 500, 1,000 and 2,000 streamed examples of a query file, plus train step
 * time, examples/s and peak RSS. Not a test: the numbers depend on the machine.
 *
 * <p>The held-out slice is fixed: the hash-split held-out share of the first 2,000 lines, so every point is measured
 * on the same examples; the training stream is the other lines, in file order (or shuffled, {@code -Dbench.order=shuffled}, by {@code -Dbench.seed}, default 7).
 * Knobs: bench.batch (B), bench.steps (K), bench.stepBatch, bench.replayFraction, bench.lr, bench.device, bench.lines;
 * after the stream, up to bench.consolidate consolidation rounds (bench.patience, bench.lrDecay, bench.minLrFactor);
 * bench.emaHalfLife: the weight average's half-life in steps (default 0, the raw weights, so old figures compare);
 * the adapter: bench.rank, bench.alpha, bench.embeddings (auto, true, false); the base: bench.base (tiny or a Hugging
 * Face directory, e.g. the one {@code ./distillery convert-base} writes); the task: bench.labels (a subset of labels);
 * bench.unseen=FILE: agreement at the end on another source's lines, never trained on.
 *
 * <p>Soft targets: {@code -Dbench.targets=stub-hard} or {@code stub-soft} labels with {@link CalibratedStubTeacher}
 * (an LLM stand-in with calibrated log-probabilities) instead of the rules teacher, through the trainer's own intake
 * ({@link ExampleValidator}: the distribution in {@code LabeledExample.distribution} becomes the target). stub-hard
 * trains on the teacher's answer only, stub-soft on its distribution; both print, at each point, the student's
 * calibration on the held-out slice ({@link Calibration}: mean confidence, expected accuracy, ECE, KL to the teacher).
 */
public final class LearningCurveBenchmark {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/tinker_multilingual.txt");
        if (!Files.exists(file)) {
            System.err.println("no query file at " + file.toAbsolutePath() + "; pass its path as the first argument");
            System.exit(2);
        }
        int lines = Integer.getInteger("bench.lines", 2000);
        TrainingSettings settings = new TrainingSettings(
                Integer.getInteger("bench.batch", 64), Long.MAX_VALUE, Integer.getInteger("bench.steps", 8),
                Integer.getInteger("bench.stepBatch", 32),
                Double.parseDouble(System.getProperty("bench.replayFraction", "0.5")), 4096,
                Double.parseDouble(System.getProperty("bench.lr", "2e-3")), 10, 2000, 42, java.util.concurrent.TimeUnit.DAYS.toNanos(1),
                Integer.getInteger("bench.patience", 0),
                Double.parseDouble(System.getProperty("bench.lrDecay", "1.0")),
                Double.parseDouble(System.getProperty("bench.minLrFactor", "0.1")),
                Boolean.getBoolean("bench.average"), Double.parseDouble(System.getProperty("bench.tokenDropout",
                        String.valueOf(TrainingSettings.DEFAULT_TOKEN_DROPOUT))),
                Double.parseDouble(System.getProperty("bench.emaHalfLife", "0")));
        int maxConsolidation = Integer.getInteger("bench.consolidate", 0);
        String baseSetting = System.getProperty("bench.base", BaseModel.TINY_ID);
        BaseModel base = Integer.getInteger("bench.layers", 0) > 0 || Integer.getInteger("bench.hidden", 0) > 0
                ? BaseModel.random("tiny-variant", variant(), BaseModel.TINY_SEED) : BaseModel.resolve(baseSetting);
        LoraConfig lora = new LoraConfig(Integer.getInteger("bench.rank", LoraConfig.defaults().rank()),
                Double.parseDouble(System.getProperty("bench.alpha", String.valueOf(LoraConfig.defaults().alpha()))),
                Double.parseDouble(System.getProperty("bench.dropout", "0.0")), LoraConfig.ALL_LINEAR,
                LoraConfig.trainEmbeddings(System.getProperty("bench.embeddings", "auto"), base),
                !"false".equals(System.getProperty("bench.tokenEvidence")));
        String device = System.getProperty("bench.device", "cpu");
        String targets = System.getProperty("bench.targets", "rules");
        if (!List.of("rules", "stub-hard", "stub-soft").contains(targets)) {
            System.err.println("bench.targets must be rules, stub-hard or stub-soft, got " + targets);
            System.exit(2);
        }
        boolean stub = targets.startsWith("stub-");
        if (stub && System.getProperty("bench.labels") != null) {
            System.err.println("bench.targets=" + targets + " works on the whole label set: leave bench.labels out");
            System.exit(2);
        }
        ExampleValidator intake = new ExampleValidator(RulesTeacher.TASK, true);

        // bench.labels=de,en,es,fr,ot,tr,vi keeps the lines the teacher gives one of those labels (e.g. the Latin-script
        // ones, for an English base) and trains a head over those labels only.
        List<String> taskLabels = System.getProperty("bench.labels") == null ? RulesTeacher.TASK.labels()
                : List.of(System.getProperty("bench.labels").split(","));
        List<String> texts = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> taskLabels.contains(RulesTeacher.label(l))).limit(lines).toList();
        int[] points = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(250, 500, 1000, 2000),
                java.util.stream.IntStream.of(texts.size())).filter(p -> p <= texts.size()).distinct().toArray();
        HeldOutSplit split = new HeldOutSplit(settings.heldOutPercent());
        List<Integer> order = new ArrayList<>();
        List<Integer> heldOutLines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
            if (split.isHeldOut(id(i))) {
                heldOutLines.add(i);
            }
        }
        if ("shuffled".equals(System.getProperty("bench.order"))) {
            Collections.shuffle(order, new Random(Long.getLong("bench.seed", 7)));
        }
        System.out.printf("%s: %d lines, %d held out (fixed evaluation set); B=%d K=%d step batch %d replay %.2f lr %s on %s;"
                + " targets %s%n", file.getFileName(), texts.size(), heldOutLines.size(), settings.batchSize(),
                settings.stepsPerRound(), settings.stepBatchSize(), settings.replayFraction(), settings.learningRate(),
                device, targets);
        List<String> heldTexts = heldOutLines.stream().map(texts::get).toList();
        List<Map<String, Double>> heldTeacher = heldTexts.stream().map(CalibratedStubTeacher::distribution).toList();
        List<String> heldDrawn = heldTexts.stream().map(t -> CalibratedStubTeacher.trueLabel(t, 7)).toList();

        List<Long> stepNanos = new ArrayList<>();
        long labelStart = System.nanoTime();
        List<String> labels = texts.stream().map(RulesTeacher::label).toList();
        System.out.printf("rules teacher labelled %d lines in %.0f ms%n", texts.size(), (System.nanoTime() - labelStart) / 1e6);
        System.out.printf("base %s (%,d parameters), labels %s, LoRA rank %d alpha %.0f, embeddings trained: %s%n",
                base.id(), base.parameterCount(), taskLabels, lora.rank(), lora.alpha(), lora.trainEmbeddings());
        try (StudentModel model = StudentModel.create(base, lora, taskLabels, device, 42)) {
            Distiller distiller = new Distiller(model, settings, Map.of(), null, stepNanos::add, null);
            long offset = 0;
            for (int line : heldOutLines) {
                distiller.accept(stub ? stubItem(offset++, line, texts, intake, targets.equals("stub-soft"))
                        : item(offset++, line, texts, labels, taskLabels), System.nanoTime());
            }
            System.out.printf("%-9s %-8s %-7s %-6s %-10s %s%n", "examples", "trained", "rounds", "steps", "agreement",
                    "wall s");
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            int streamed = 0;
            int nextPoint = 0;
            for (int n = 0; n < order.size(); n++) {
                int line = order.get(n);
                if (!split.isHeldOut(id(line))) {
                    distiller.accept(stub ? stubItem(offset++, line, texts, intake, targets.equals("stub-soft"))
                            : item(offset++, line, texts, labels, taskLabels), System.nanoTime());
                    streamed++;
                    if (distiller.roundDue(System.nanoTime())) {
                        distiller.runRound();
                    }
                }
                if (nextPoint < points.length && n + 1 == points[nextPoint]) {
                    distiller.runRound(); // train what waits, then evaluate on the fixed held-out slice
                    Evaluation e = distiller.evaluate();
                    Distiller.Snapshot s = distiller.snapshot();
                    System.out.printf("%-9d %-8d %-7d %-6d %-10.4f %.1f   %s%n", points[nextPoint], s.trainedExamples(),
                            s.rounds(), stepNanos.size(), e.agreement(), (System.nanoTime() - start) / 1e9, e.byLabel());
                    if (stub) {
                        Calibration c = Calibration.of(model.predict(heldTexts), heldTeacher,
                                RulesTeacher.TASK.labels(), heldDrawn);
                        System.out.printf("          calibration (%s): mean confidence %.3f, expected accuracy %.3f,"
                                + " ECE %.3f, KL(teacher||student) %.3f nats, accuracy on drawn labels %.3f%n", targets,
                                c.meanConfidence(), c.expectedAccuracy(), c.ece(), c.klToTeacher(), c.sampledAccuracy());
                    }
                    nextPoint++;
                }
            }
            // The stream paused: consolidation rounds over the replay buffer, as the service runs them (stopping after
            // bench.patience rounds without a better agreement, at most bench.consolidate rounds).
            for (int c = 0; c < maxConsolidation && distiller.consolidationDue(System.nanoTime() + java.util.concurrent.TimeUnit.DAYS.toNanos(2)); c++) {
                Evaluation e = distiller.runRound().evaluation();
                Distiller.Snapshot s = distiller.snapshot();
                System.out.printf("consolidation %-3d rounds %-4d steps %-5d agreement %.4f %.1f s %s%n", c + 1,
                        s.rounds(), stepNanos.size(), e.agreement(), (System.nanoTime() - start) / 1e9, e.byLabel());
            }
            if (System.getProperty("bench.unseen") != null) {
                // Text from another source, never trained on: the lines of that file the teacher labels within the
                // task's labels (capped at bench.unseenLines, default 500).
                List<String> unseen = Files.readAllLines(Path.of(System.getProperty("bench.unseen"))).stream()
                        .map(String::strip).filter(l -> !l.isEmpty())
                        .filter(l -> taskLabels.contains(RulesTeacher.label(l)))
                        .limit(Integer.getInteger("bench.unseenLines", 500)).toList();
                List<dev.distillery.model.Prediction> predictions = model.predict(unseen);
                long agree = java.util.stream.IntStream.range(0, unseen.size())
                        .filter(i -> RulesTeacher.label(unseen.get(i)).equals(predictions.get(i).label())).count();
                System.out.printf("unseen source %s: agreement %.4f (%d/%d lines)%n",
                        Path.of(System.getProperty("bench.unseen")).getFileName(), (double) agree / unseen.size(), agree,
                        unseen.size());
            }
            if (stub && maxConsolidation > 0) {
                Calibration c = Calibration.of(model.predict(heldTexts), heldTeacher, RulesTeacher.TASK.labels(),
                        heldDrawn);
                System.out.printf("after consolidation (%s): mean confidence %.3f, expected accuracy %.3f, ECE %.3f,"
                        + " KL %.3f, accuracy on drawn labels %.3f%n", targets, c.meanConfidence(),
                        c.expectedAccuracy(), c.ece(), c.klToTeacher(), c.sampledAccuracy());
            }
            if (Boolean.getBoolean("bench.errors")) {
                List<dev.distillery.model.Prediction> predictions = model.predict(heldTexts);
                for (int i = 0; i < heldTexts.size(); i++) {
                    String teacher = labels.get(heldOutLines.get(i));
                    if (!teacher.equals(predictions.get(i).label())) {
                        System.out.printf("disagree: teacher %s student %s: %s%n", teacher, predictions.get(i).label(),
                                heldTexts.get(i));
                    }
                }
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            List<Long> sorted = new ArrayList<>(stepNanos);
            Collections.sort(sorted);
            double total = stepNanos.stream().mapToLong(Long::longValue).sum() / 1e9;
            long slots = (long) stepNanos.size() * settings.stepBatchSize();
            System.out.printf("train step (batch %d): median %.1f ms, p90 %.1f ms, mean %.1f ms over %d steps (first %.0f ms)%n",
                    settings.stepBatchSize(), sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.9)) / 1e6,
                    total * 1000 / stepNanos.size(), stepNanos.size(), stepNanos.get(0) / 1e6);
            System.out.printf("throughput: %.0f example slots/s in optimizer steps; %.1f streamed examples/s end to end "
                    + "(%d train examples, rounds and evaluations included, %.1f s)%n", slots / total, streamed / wall,
                    streamed, wall);
            // Wall time depends on what else runs on the machine; CPU time of this process much less so.
            System.out.printf("process CPU: %.1f s for the stream (%.0f ms per optimizer step, rounds and evaluations "
                    + "included; %.1f streamed examples per CPU-second)%n", cpu, cpu * 1000 / stepNanos.size(),
                    streamed / cpu);
        }
        System.out.println("peak RSS (VmHWM): " + Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("n/a").replaceAll("\\s+", " "));
    }

    /** tiny's shape with -Dbench.layers / -Dbench.hidden / -Dbench.heads overridden (FFN = 4 x hidden). */
    private static dev.distillery.model.BertConfig variant() {
        dev.distillery.model.BertConfig t = dev.distillery.model.BertConfig.tiny();
        int hidden = Integer.getInteger("bench.hidden", t.hiddenSize());
        return new dev.distillery.model.BertConfig(t.modelType(), t.vocabSize(), hidden,
                Integer.getInteger("bench.layers", t.numLayers()), Integer.getInteger("bench.heads", t.numHeads()),
                4 * hidden, t.maxPositions(), t.typeVocabSize(), t.layerNormEps(), t.padTokenId(),
                t.positionOffset());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String id(int line) {
        return "line-" + (line + 1);
    }

    /** The stub teacher's message, read by the trainer's intake as a Kafka record would be. */
    private static IntakeItem stubItem(long offset, int line, List<String> texts, ExampleValidator intake, boolean soft) {
        Validation v = intake.validate(id(line), CalibratedStubTeacher.labeledExample(id(line), texts.get(line), soft));
        if (!(v instanceof Validation.Valid valid)) {
            throw new IllegalStateException("the trainer refused a stub example: " + v);
        }
        return new IntakeItem.Accepted("bench-0", offset, valid.example());
    }

    private static IntakeItem item(long offset, int line, List<String> texts, List<String> labels,
            List<String> taskLabels) {
        float[] target = new float[taskLabels.size()];
        target[taskLabels.indexOf(labels.get(line))] = 1f;
        return new IntakeItem.Accepted("bench-0", offset,
                new Example(id(line), texts.get(line), labels.get(line), target,
                        RulesTeacher.TASK.formatAnswer(labels.get(line))));
    }
}
