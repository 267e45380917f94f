package dev.distillery.teacher;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.testing.EmbeddedKafka;

/**
 * Throughput of the teacher-service pipeline through Kafka (not a test: it prints figures). Starts a real KRaft
 * broker in this JVM and the packaged service ({@code quarkus-run.jar}) as a separate process, warms it up, then
 * produces every line of the input file to {@code distill.queries} and measures until all of them are on
 * {@code distill.labeled} or {@code distill.rejected}.
 *
 * <pre>
 * ./mvnw -B -pl teacher-service -am package -DskipTests
 * ./mvnw -B -q -pl teacher-service -am dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp teacher-service/target/test-classes:common/target/test-classes:common/target/classes:$(cat teacher-service/target/bench.cp) \
 *     dev.distillery.teacher.PipelineThroughputBenchmark ../shared/data/tinker_multilingual.txt \
 *     teacher-service/target/quarkus-app/quarkus-run.jar [rounds] [-Dservice.property=value ...]
 * </pre>
 * Extra {@code -D} arguments go to the service's JVM (e.g. {@code -Ddistillery.teacher.concurrency=32}).
 */
public final class PipelineThroughputBenchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private PipelineThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/tinker_multilingual.txt");
        Path jar = Path.of(args.length > 1 ? args[1] : "teacher-service/target/quarkus-app/quarkus-run.jar");
        int rounds = args.length > 2 && !args[2].startsWith("-D") ? Integer.parseInt(args[2]) : 1;
        List<String> serviceProps = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-D")) {
                serviceProps.add(a);
            }
        }
        List<String> lines = Files.readAllLines(data, StandardCharsets.UTF_8);
        System.out.printf("input: %d lines from %s, %d round(s)%n", lines.size(), data, rounds);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(), "-Dquarkus.http.port=0"));
            command.addAll(serviceProps);
            command.addAll(List.of("-jar", jar.toString()));
            File log = File.createTempFile("teacher-bench-", ".log");
            Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            System.out.println("service log: " + log);
            try {
                long warm = run(kafka, "warm-", lines.subList(0, Math.min(200, lines.size())), 1).nanos;
                System.out.printf(Locale.ROOT, "warm-up: 200 queries in %.2f s (includes the consumer joining)%n", warm / 1e9);
                Duration cpuBefore = cpu(service);
                Result result = run(kafka, "bench-", lines, rounds);
                Duration cpu = cpu(service).minus(cpuBefore);
                int n = lines.size() * rounds;
                double seconds = result.nanos / 1e9;
                System.out.printf(Locale.ROOT, "%d queries -> %d labeled + %d rejected in %.2f s: %.0f queries/s%n",
                        n, result.labeled, result.rejected, seconds, n / seconds);
                // On a shared machine wall time depends on the neighbours; the service's own CPU time does less so.
                System.out.printf(Locale.ROOT, "service CPU time %.2f s: %.0f queries per CPU-second, %d cores here%n",
                        cpu.toMillis() / 1e3, n / (cpu.toMillis() / 1e3), Runtime.getRuntime().availableProcessors());
                System.out.println("labels: " + result.labels);
            } finally {
                service.destroy();
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
    }

    private static Duration cpu(Process process) {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private record Result(long nanos, int labeled, int rejected, Map<String, Integer> labels) {
    }

    private static Result run(EmbeddedKafka kafka, String prefix, List<String> lines, int rounds) throws Exception {
        int n = lines.size() * rounds;
        Set<String> seen = new HashSet<>();
        Map<String, Integer> labels = new TreeMap<>();
        int[] counts = new int[2];
        try (KafkaConsumer<String, byte[]> labeled = kafka.consumerFromBeginning(Topics.LABELED);
                KafkaConsumer<String, byte[]> rejected = kafka.consumerFromBeginning(Topics.REJECTED)) {
            long start = System.nanoTime();
            Thread producerThread = Thread.ofPlatform().start(() -> {
                try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < lines.size(); i++) {
                            producer.send(new ProducerRecord<>(Topics.QUERIES, prefix + r + "-" + i,
                                    lines.get(i).getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                    producer.flush();
                }
            });
            long deadline = start + TIMEOUT.toNanos();
            while (seen.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : labeled.poll(Duration.ofMillis(20))) {
                    if (rec.key() != null && rec.key().startsWith(prefix) && seen.add(rec.key())) {
                        counts[0]++;
                        labels.merge(MessageCodec.decode(rec.value(), LabeledExample.class).label(), 1, Integer::sum);
                    }
                }
                for (ConsumerRecord<String, byte[]> rec : rejected.poll(Duration.ZERO)) {
                    if (rec.key() != null && rec.key().startsWith(prefix) && seen.add(rec.key())) {
                        counts[1]++;
                    }
                }
            }
            long nanos = System.nanoTime() - start;
            producerThread.join();
            if (seen.size() < n) {
                throw new IllegalStateException("only " + seen.size() + " of " + n + " queries came out within " + TIMEOUT);
            }
            return new Result(nanos, counts[0], counts[1], labels);
        }
    }
}
