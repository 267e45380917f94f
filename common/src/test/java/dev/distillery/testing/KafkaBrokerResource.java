package dev.distillery.testing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts one real KRaft broker for a Quarkus test run and points {@code kafka.bootstrap.servers} at it. Tests reach
 * the broker through {@link #kafka()} to produce and read records with plain Kafka clients.
 *
 * <p>The broker is a secured one (SASL_PLAINTEXT, PLAIN), and the service gets its login the way a deployment gives
 * it: as {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG}, names
 * Quarkus maps to the global {@code kafka.*} configuration exactly as it maps environment variables. Every service
 * test therefore shows that each service's clients (SmallRye channels and raw clients alike) use those settings:
 * without them nothing could be read or written.
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
        kafka = EmbeddedKafka.startSasl();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        EmbeddedKafka.SASL_PLAIN_CLIENT.forEach((key, value) ->
                config.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return config;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
