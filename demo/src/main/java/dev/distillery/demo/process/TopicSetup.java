package dev.distillery.demo.process;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.distillery.kafka.KafkaClients;
import dev.distillery.kafka.Topics;

/** Creates the pipeline's four topics the way the services expect them (checkpoints compacted). */
public final class TopicSetup {

    private TopicSetup() {
    }

    static List<NewTopic> topics() {
        return List.of(
                new NewTopic(Topics.QUERIES, 2, (short) 1),
                new NewTopic(Topics.LABELED, 1, (short) 1).configs(Map.of("retention.ms", "-1")),
                new NewTopic(Topics.REJECTED, 1, (short) 1),
                new NewTopic(Topics.CHECKPOINTS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
    }

    /** Creates the topics that are missing; existing ones (an external broker) are left as they are. */
    static void ensure(String bootstrapServers) throws InterruptedException {
        try (Admin admin = new KafkaClients(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000")).admin("distillery-demo-topics")) {
            for (NewTopic topic : topics()) {
                try {
                    admin.createTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + " at " + bootstrapServers
                            + ": no answer within 20 s");
                }
            }
        }
    }
}
