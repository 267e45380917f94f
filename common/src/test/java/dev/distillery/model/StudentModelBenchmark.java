package dev.distillery.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.distillery.checkpoint.AdapterFiles;

/**
 * Prints train step time (batch 32), examples/s, inference latency (batch 1 and 64), held-out accuracy on generated
 * multilingual samples and peak RSS. Not a test: numbers depend on the machine.
 * Knobs (system properties): bench.rank, bench.lr, bench.epochs, bench.train, bench.embeddings, bench.targets.
 */
public final class StudentModelBenchmark {

    public static void main(String[] args) throws Exception {
        int rank = Integer.getInteger("bench.rank", 8);
        double lr = Double.parseDouble(System.getProperty("bench.lr", "2e-3"));
        int epochs = Integer.getInteger("bench.epochs", 6);
        int trainSize = Integer.getInteger("bench.train", 1300);
        boolean embeddings = Boolean.parseBoolean(System.getProperty("bench.embeddings", "true"));
        String targets = System.getProperty("bench.targets", String.join(",", LoraConfig.ALL_LINEAR));
        LoraConfig lora = new LoraConfig(rank, 2.0 * rank, 0.0, List.of(targets.split(",")), embeddings);

        BaseModel base = BaseModel.tiny();
        List<MultilingualSamples.Sample> train = MultilingualSamples.generate(trainSize, 1);
        List<MultilingualSamples.Sample> heldOut = MultilingualSamples.generate(520, 2);
        try (StudentModel model = StudentModel.create(base, lora, MultilingualSamples.LABELS, "auto", 7)) {
            System.out.printf("base %s, device %s, lora %s%n", base.config(), model.device(), lora);
            System.out.printf("parameters: %d trainable of %d%n", model.trainableParameters(),
                    model.totalParameters());
            System.out.printf("held-out accuracy before training: %.3f%n",
                    MultilingualSamples.accuracy(model, heldOut));
            long start = System.nanoTime();
            List<Double> stepMillis = new ArrayList<>();
            java.util.Random shuffle = new java.util.Random(3);
            List<MultilingualSamples.Sample> order = new ArrayList<>(train);
            int examples = 0;
            for (int e = 0; e < epochs; e++) {
                java.util.Collections.shuffle(order, shuffle);
                double loss = 0;
                int steps = 0;
                for (int s = 0; s + 32 <= order.size(); s += 32) {
                    List<MultilingualSamples.Sample> b = order.subList(s, s + 32);
                    long t0 = System.nanoTime();
                    loss += model.trainStep(b.stream().map(MultilingualSamples.Sample::text).toList(),
                            MultilingualSamples.oneHot(b), lr);
                    stepMillis.add((System.nanoTime() - t0) / 1e6);
                    examples += 32;
                    steps++;
                }
                System.out.printf("epoch %d: mean loss %.4f, held-out accuracy %.3f, %.1f s%n", e + 1, loss / steps,
                        MultilingualSamples.accuracy(model, heldOut), (System.nanoTime() - start) / 1e9);
            }
            double trainSeconds = stepMillis.stream().mapToDouble(Double::doubleValue).sum() / 1000;
            List<Double> sorted = stepMillis.stream().skip(1).sorted().toList();
            System.out.printf("train step (batch 32): median %.1f ms, p90 %.1f ms, first %.0f ms; %.0f examples/s%n",
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10), stepMillis.get(0),
                    examples / trainSeconds);

            List<String> texts = heldOut.stream().map(MultilingualSamples.Sample::text).toList();
            List<Double> single = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                model.predict(List.of(texts.get(i % texts.size())));
                single.add((System.nanoTime() - t0) / 1e6);
            }
            single = single.stream().skip(20).sorted().toList();
            System.out.printf("inference batch 1: median %.2f ms, p90 %.2f ms%n", single.get(single.size() / 2),
                    single.get(single.size() * 9 / 10));
            long t0 = System.nanoTime();
            int n = 0;
            for (int i = 0; i + 64 <= texts.size(); i += 64) {
                model.predict(texts.subList(i, i + 64));
                n += 64;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("inference batch 64: %.1f ms per batch, %.0f texts/s%n", 1000 * s / (n / 64), n / s);

            Path dir = Files.createTempDirectory("bench-adapter");
            AdapterFiles.write(model, dir);
            System.out.printf("adapter file: %d bytes%n", Files.size(dir.resolve("adapter_model.safetensors")));
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
                System.out.println(line.replaceAll("\\s+", " "));
            }
        }
    }
}
