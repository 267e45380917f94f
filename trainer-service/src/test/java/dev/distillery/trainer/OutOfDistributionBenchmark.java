package dev.distillery.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.agreement.AgreementTally;
import dev.distillery.cascade.AgreementOf;
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
import dev.distillery.trainer.training.LengthAugmentation;
import dev.distillery.trainer.training.TrainingSettings;

/**
 * What the demo's student does on text the demo never streamed: trains as the demo does (the built-in queries,
 * shuffled with the demo's seed, one in 20 held back; the trainer's defaults; consolidation rounds while the
 * held-out agreement improves), then scores agreement with the rules teacher, overall, by label and by length, on
 * <ul>
 * <li>the demo's held-back queries (in distribution, never trained on),</li>
 * <li>tinker_multilingual lines 1-2,000 and its 100 probes (another source; pass the file as the first argument),</li>
 * <li>the project's own paragraphs ({@code ood/paragraphs.jsonl}, 120-2,000 characters in 12 languages and others),
 * also against their true labels,</li>
 * <li>each paragraph set's texts and their first sentence (the student must answer both alike),</li>
 * <li>any further files named after the tinker file (one text per line, or JSONL with {@code text} and optional
 * {@code label}), e.g. the sentences {@code trainer-service/bench/udhr-sentences.sh} extracts.</li>
 * </ul>
 * Each set also gets the cascade's figures at the margin threshold the last held-out evaluation calibrated, when it
 * found one: the share the student answers and the agreement of what is served (deferred answers are the teacher's),
 * and the oracle's: the most any threshold could keep at 0.99 served agreement on that set.
 * Not a test: a figure for the README. Knobs: bench.consolidate (max consolidation rounds, default 40),
 * bench.average (the trainer's weight averaging over consolidation rounds, default off), bench.agreementOf
 * (answered or served, default the trainer's), bench.tokenDropout (default the trainer's), bench.emaHalfLife (the
 * weight average's half-life in steps, default the trainer's; 0 evaluates the raw weights),
 * bench.heldOut (percent held out, default 10; the demo holds out 25 so that a threshold can be calibrated),
 * bench.augment (share of each batch lengthened, default the trainer's), bench.seed, bench.steps (per round of 64 new
 * examples, default 8; the demo's 18 per 128 is 9; with -Dbench.heldOut=25 and about 9 consolidation rounds the run
 * trains as the demo does), bench.dump=FILE (every disagreement, tab-separated), bench.full=FILE (every answer of
 * every set with all its probabilities, the held-out slice first, tab-separated: set, teacher, student, probabilities
 * in label order, text; for studies of calibration and scores offline).
 */
public final class OutOfDistributionBenchmark {

    public static void main(String[] args) throws Exception {
        Path tinker = Path.of(args.length > 0 ? args[0] : "../shared/data/tinker_multilingual.txt");
        List<String> queries = new ArrayList<>(RulesTeacher.demoQueries());
        Collections.shuffle(queries, new Random(42));
        List<String> streamed = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            (i % 20 == 19 ? unseen : streamed).add(queries.get(i));
        }
        TrainingSettings settings = new TrainingSettings(64, Long.MAX_VALUE, Integer.getInteger("bench.steps", 8), 32,
                0.5, 4096,
                Double.parseDouble(System.getProperty("bench.lr", "3e-3")), Integer.getInteger("bench.heldOut", 10),
                2000, Long.getLong("bench.seed", 42),
                TimeUnit.SECONDS.toNanos(3), 12, 0.95, 0.1, Boolean.getBoolean("bench.average"),
                Double.parseDouble(System.getProperty("bench.tokenDropout",
                        String.valueOf(TrainingSettings.DEFAULT_TOKEN_DROPOUT))),
                Double.parseDouble(System.getProperty("bench.emaHalfLife",
                        String.valueOf(TrainingSettings.DEFAULT_EMA_HALF_LIFE_STEPS))));
        LengthAugmentation augmentation = new LengthAugmentation(
                Double.parseDouble(System.getProperty("bench.augment", "0.3")),
                Double.parseDouble(System.getProperty("bench.fragments", "0.5")),
                Integer.getInteger("bench.minChars", 60), Integer.getInteger("bench.maxChars", 300), 64);
        LoraConfig lora = new LoraConfig(16, 32, 0.0, LoraConfig.ALL_LINEAR, true,
                !"false".equals(System.getProperty("bench.tokenEvidence")));
        int maxConsolidation = Integer.getInteger("bench.consolidate", 40);
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        try (StudentModel model = StudentModel.create(BaseModel.tiny(), lora, RulesTeacher.TASK.labels(), "cpu", 42)) {
            CascadeSettings cascade = new CascadeSettings(CascadeSettings.DEFAULT.targetAgreement(),
                    CascadeSettings.DEFAULT.deferralWeight(), AgreementOf.fromKey(System.getProperty(
                            "bench.agreementOf", CascadeSettings.DEFAULT.agreementOf().key())));
            Distiller distiller = new Distiller(model, settings, cascade, Map.of(), null, n -> { }, null,
                    augmentation);
            long offset = 0;
            for (String text : streamed) {
                distiller.accept(item(offset, text), System.nanoTime());
                offset++;
                if (distiller.roundDue(System.nanoTime())) {
                    distiller.runRound();
                }
            }
            distiller.runRound();
            System.out.printf(Locale.ROOT, "stream of %d: held-out %.4f by length %s (%.0f s)%n", streamed.size(),
                    distiller.evaluate().agreement(), distiller.evaluate().byLength(), (System.nanoTime() - start) / 1e9);
            long later = System.nanoTime() + TimeUnit.DAYS.toNanos(1);
            for (int c = 0; c < maxConsolidation && distiller.consolidationDue(later); c++) {
                System.out.printf(Locale.ROOT, "consolidation %d: held-out %.4f (%.0f s)%n", c + 1,
                        distiller.runRound().evaluation().agreement(), (System.nanoTime() - start) / 1e9);
            }
            System.out.printf(Locale.ROOT, "after %d rounds: held-out %.4f; %.0f s wall, %.0f s CPU%n",
                    distiller.snapshot().rounds(), distiller.evaluate().agreement(), (System.nanoTime() - start) / 1e9,
                    (cpuNanos() - cpuStart) / 1e9);
            Optional<Double> threshold = distiller.calibration().stream()
                    .filter(c -> c.score() == ConfidenceScore.MARGIN).findFirst().flatMap(CascadeCalibration::threshold);
            System.out.println(threshold.isPresent() ? "cascade threshold (margin, held-out): " + threshold.get()
                    : "no cascade threshold: the held-out slice does not bound agreement at the target");
            if (System.getProperty("bench.full") != null) {
                java.util.Set<String> ids = distiller.heldOutIds();
                List<String> held = new ArrayList<>();
                for (int i = 0; i < streamed.size(); i++) {
                    if (ids.contains("q-" + i)) {
                        held.add(streamed.get(i));
                    }
                }
                score("held-out", model, held, null, threshold);
            }
            score("demo held-back queries", model, unseen, null, threshold);
            if (Files.exists(tinker)) {
                List<String> lines = Files.readAllLines(tinker).stream().map(String::strip).toList();
                score("tinker lines 1-2000", model, lines.subList(0, 2000), null, threshold);
                score("tinker probes 2001-2100", model, lines.subList(2000, Math.min(lines.size(), 2100)), null,
                        threshold);
            } else {
                System.out.println("no tinker file at " + tinker.toAbsolutePath() + " (first argument): skipped");
            }
            List<String> texts = new ArrayList<>();
            List<String> truth = new ArrayList<>();
            try (var in = OutOfDistributionBenchmark.class.getResourceAsStream("/ood/paragraphs.jsonl")) {
                for (String line : in == null ? new String[0] : new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n = MessageCodec.mapper().readTree(line);
                    texts.add(n.get("text").asText());
                    truth.add(n.get("label").asText());
                }
            }
            score("own paragraphs", model, texts, truth, threshold);
            List<String> joined = new ArrayList<>();
            List<String> joinedTruth = new ArrayList<>();
            for (String label : new java.util.TreeSet<>(truth)) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < texts.size(); i++) {
                    if (truth.get(i).equals(label) && b.length() < 2000) {
                        b.append(b.length() == 0 ? "" : " ").append(texts.get(i));
                    }
                }
                joined.add(b.length() > 4000 ? b.substring(0, 4000) : b.toString());
                joinedTruth.add(label);
            }
            score("own paragraphs joined per label (2,000-4,000 chars)", model, joined, joinedTruth, threshold);
            for (int a = 1; a < args.length; a++) {
                List<String> extra = new ArrayList<>();
                List<String> extraTruth = new ArrayList<>();
                BenchmarkTexts.read(Path.of(args[a]), extra, extraTruth);
                score(Path.of(args[a]).getFileName().toString(), model, extra,
                        extraTruth.size() == extra.size() ? extraTruth : null, threshold);
            }
        }
    }

    /**
     * @param threshold the cascade's margin threshold of the last held-out evaluation (the student's default score),
     *                  when it found one
     */
    private static void score(String name, StudentModel model, List<String> texts, List<String> truth,
            Optional<Double> threshold) {
        List<Prediction> answers = model.predict(texts);
        int covered = 0;
        int coveredAgreeing = 0;
        AgreementTally teacher = new AgreementTally();
        AgreementTally correct = new AgreementTally();
        List<String> misses = new ArrayList<>();
        StringBuilder disagreements = new StringBuilder();
        StringBuilder full = new StringBuilder();
        double[] margins = new double[texts.size()];
        boolean[] agrees = new boolean[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String label = RulesTeacher.label(texts.get(i));
            String student = answers.get(i).label();
            margins[i] = ConfidenceScore.MARGIN.of(answers.get(i));
            agrees[i] = label.equals(student);
            teacher.add(texts.get(i), label, student);
            if (threshold.isPresent() && margins[i] >= threshold.get()) {
                covered++;
                coveredAgreeing += label.equals(student) ? 1 : 0;
            }
            if (System.getProperty("bench.full") != null) {
                List<Double> p = answers.get(i).probabilities();
                StringBuilder probs = new StringBuilder();
                for (double v : p) {
                    probs.append(String.format(Locale.ROOT, "%.5g,", v));
                }
                full.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%s%n", name, label, student, probs,
                        texts.get(i).replace('\n', ' ').replace('\t', ' ')));
            }
            if (!label.equals(student)) { // every one, with the student's top probability, for -Dbench.dump
                disagreements.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%.4f\t%s%n", name, label, student,
                        answers.get(i).confidence(), texts.get(i).replace('\n', ' ')));
            }
            if (truth != null) {
                correct.add(texts.get(i), truth.get(i), student);
            }
            if (!label.equals(student) && misses.size() < Integer.getInteger("bench.misses", 8)) {
                String t = texts.get(i);
                misses.add(label + "->" + student + ": " + (t.length() > 70 ? t.substring(0, 70) + "..." : t));
            }
        }
        System.out.printf(Locale.ROOT, "%-52s n=%-5d agreement %.4f%s%n    by length %s %s%n    by label %s%n", name,
                texts.size(), teacher.agreement(),
                truth == null ? "" : String.format(Locale.ROOT, " (student right %.4f)", correct.agreement()),
                round(teacher.byLength()), teacher.countByLength(), round(teacher.byLabel()));
        if (threshold.isPresent()) { // deferred answers come from the teacher, so they agree
            System.out.printf(Locale.ROOT, "    cascade (margin >= %.4f): coverage %.4f, served agreement %.4f,"
                    + " student's own %.4f%n", threshold.get(), covered / (double) texts.size(),
                    (coveredAgreeing + texts.size() - covered) / (double) texts.size(),
                    covered == 0 ? Double.NaN : coveredAgreeing / (double) covered);
        }
        // The best any threshold could do on this set (chosen with the teacher's answers in hand): the trainer's own
        // calibration on this set's answers with no confidence bound (z = 0, the raw served rate). It separates how
        // well the margin ranks the student's answers from how well the held-out slice calibrates the threshold.
        CascadeCalibration oracle = CascadeCalibration.calibrate(ConfidenceScore.MARGIN, margins, agrees, 0.99, 0,
                AgreementOf.SERVED);
        System.out.printf(Locale.ROOT, "    oracle: coverage %.4f keeps served agreement >= 0.99 (margin >= %.4f)%n",
                oracle.coverage(), oracle.threshold().orElse(Double.NaN));
        misses.forEach(m -> System.out.println("    miss " + m));
        appendTo("bench.full", full);
        appendTo("bench.dump", disagreements);
    }

    /** Appends the text to the file the system property names, when it names one. */
    private static void appendTo(String property, CharSequence text) {
        String file = System.getProperty(property);
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), text, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> round(Map<String, Double> m) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.format(Locale.ROOT, "%.3f", v)));
        return out;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static IntakeItem item(long offset, String text) {
        String label = RulesTeacher.label(text);
        float[] target = new float[RulesTeacher.TASK.labels().size()];
        target[RulesTeacher.TASK.labelIndex(label)] = 1f;
        return new IntakeItem.Accepted("bench-0", offset,
                new Example("q-" + offset, text, label, target, RulesTeacher.TASK.formatAnswer(label)));
    }
}
