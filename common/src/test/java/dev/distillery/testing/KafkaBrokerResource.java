package dev.distillery.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts one real KRaft broker for a Quarkus test run and points {@code kafka.bootstrap.servers} at it. Tests reach
 * the broker through {@link #kafka()} to produce and read records with plain Kafka clients.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedKafka kafka;

    public static EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the broker is started by @QuarkusTestResource(KafkaBrokerResource.class)");
        }
        return kafka;
    }

    @Override
    public Map<String, String> start() {
        kafka = EmbeddedKafka.start();
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
