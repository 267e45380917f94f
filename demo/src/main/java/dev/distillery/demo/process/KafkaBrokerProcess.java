package dev.distillery.demo.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import dev.distillery.kafka.KafkaClients;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) as a child process, run from the Maven-resolved
 * {@code kafka_2.13} jars in {@code demo/target/lib}. Loopback listeners only, free ports, data in {@code dataDir}.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;
    /** What it takes to start the same broker again (same port, same data): for the fault suite's restarts. */
    private final List<String> command;
    private final Path dataDir;
    private final Path log;

    private KafkaBrokerProcess(ManagedProcess process, int port, List<String> command, Path dataDir, Path log) {
        this.process = process;
        this.port = port;
        this.command = command;
        this.dataDir = dataDir;
        this.log = log;
    }

    static KafkaBrokerProcess start(Path libDir, Path dataDir, Path logDir, Duration readyTimeout)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(libDir)) {
            throw new IllegalStateException("no Kafka classpath at " + libDir + " (build the demo module first)");
        }
        int port = FreePort.pick();
        int controllerPort = FreePort.pick();
        Files.createDirectories(dataDir);
        Path config = dataDir.resolve("server.properties");
        Files.writeString(config, serverProperties(port, controllerPort, dataDir.resolve("log")), StandardCharsets.UTF_8);

        String classpath = libDir.toAbsolutePath() + "/*";
        List<String> jvm = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka=info",
                "-cp", classpath);
        Path log = logDir.resolve("kafka.log");
        String clusterId = randomClusterId();
        try (ManagedProcess format = ManagedProcess.start("kafka-storage-format",
                JavaCommand.of(jvm, List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString())),
                Map.of(), dataDir, log)) {
            int rc = format.waitFor(Duration.ofSeconds(60));
            if (rc != 0) {
                throw new IllegalStateException("kafka StorageTool format failed (exit " + rc + "):\n" + format.logTail(20));
            }
        }
        List<String> command = JavaCommand.of(jvm, List.of("kafka.Kafka", config.toString()));
        return launch(command, port, dataDir, log, readyTimeout);
    }

    /** Starts the broker process and waits until it serves; a broker that never gets ready is stopped. */
    private static KafkaBrokerProcess launch(List<String> command, int port, Path dataDir, Path log,
            Duration readyTimeout) throws IOException, InterruptedException {
        ManagedProcess broker = ManagedProcess.start("kafka", command, Map.of(), dataDir, log);
        KafkaBrokerProcess kafka = new KafkaBrokerProcess(broker, port, command, dataDir, log);
        try {
            kafka.awaitReady(readyTimeout);
        } catch (RuntimeException | InterruptedException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** A KRaft cluster id: the Kafka client's {@link Uuid} in its base64 form, what StorageTool random-uuid prints. */
    static String randomClusterId() {
        return Uuid.randomUuid().toString();
    }

    static String serverProperties(int port, int controllerPort, Path logDirs) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%s
                num.partitions=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=true
                log.retention.hours=-1
                """.formatted(controllerPort, port, controllerPort, port, logDirs.toAbsolutePath());
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        KafkaClients kafka = new KafkaClients(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited during start:\n" + process.logTail(30));
            }
            if (FreePort.inUse(port)) {
                try (Admin admin = kafka.admin("distillery-demo-ready")) {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    // not ready yet
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the Kafka broker was not ready within " + timeout.toSeconds() + " s:\n"
                + process.logTail(30));
    }

    /** Kills the broker at once (SIGKILL, no clean shutdown), as a crash would. */
    void kill() {
        process.kill();
    }

    /** Starts the same broker again (same port and data) after {@link #kill()}; waits until it serves. */
    KafkaBrokerProcess restart(Duration readyTimeout) throws IOException, InterruptedException {
        return launch(command, port, dataDir, log, readyTimeout);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }
}
