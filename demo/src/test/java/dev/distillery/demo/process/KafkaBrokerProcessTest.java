package dev.distillery.demo.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.distillery.kafka.Topics;

/** The broker the demo runs as a child process: it starts, takes the four topics, and leaves nothing behind. */
class KafkaBrokerProcessTest {

    @Test
    void startsABrokerProcessAndStopsItWithoutLeftovers(@TempDir Path dir) throws Exception {
        Path lib = Path.of("target/lib");
        assertTrue(lib.toFile().isDirectory(), "maven-dependency-plugin should have filled target/lib");
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(lib, dir.resolve("kafka"), dir, Duration.ofSeconds(90));
        long pid = broker.pid();
        int port = broker.port();
        List<ProcessHandle> tree;
        try {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertTrue(FreePort.inUse(port));
            tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();

            TopicSetup.ensure(broker.bootstrapServers());
            TopicSetup.ensure(broker.bootstrapServers()); // idempotent
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                Set<String> names = admin.listTopics().names().get(20, TimeUnit.SECONDS);
                assertTrue(names.containsAll(List.of(Topics.QUERIES, Topics.LABELED, Topics.REJECTED, Topics.CHECKPOINTS)),
                        names.toString());
                var description = admin.describeTopics(List.of(Topics.QUERIES)).allTopicNames().get(20, TimeUnit.SECONDS);
                assertEquals(2, description.get(Topics.QUERIES).partitions().size());
            }
        } finally {
            broker.close();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker still running");
        for (ProcessHandle child : tree) {
            assertFalse(child.isAlive(), "descendant " + child.pid() + " still running");
        }
        assertFalse(FreePort.inUse(port), "port " + port + " still accepting connections");
    }

    @Test
    void serverPropertiesListenOnLoopbackOnly() {
        String props = KafkaBrokerProcess.serverProperties(1234, 1235, java.nio.file.Path.of("/tmp/x"));
        assertTrue(props.contains("listeners=PLAINTEXT://127.0.0.1:1234,CONTROLLER://127.0.0.1:1235"), props);
        assertTrue(props.contains("process.roles=broker,controller"), props);
        assertEquals(22, KafkaBrokerProcess.randomClusterId().length());
    }
}
