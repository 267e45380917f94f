package dev.distillery.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The one place raw Kafka clients are built: String keys, byte[] values (the UTF-8 JSON is decoded explicitly).
 *
 * <p>Every client starts from the service's whole Kafka configuration, the same map SmallRye's channels use: in a
 * Quarkus service the {@code default-kafka-broker} bean, i.e. every {@code kafka.*} property and {@code KAFKA_*}
 * environment variable with the prefix removed (bootstrap.servers, security.protocol, sasl.*, ssl.*, client.id...).
 * On top of it each client fixes only what its use depends on (serializers, acks, commits, group); a configured
 * {@code client.id} becomes the prefix of each client's own id, so the clients of one process stay distinct.
 *
 * <p>Raw clients, not SmallRye channels, are for readers that assign partitions and seek or commit by hand (see
 * {@link FromBeginning}). Given a registry, each client's own metrics (records, lag, request rates) are published
 * at /q/metrics, as Quarkus does for the channels' clients.
 */
public final class KafkaClients {

    /** The key under which Quarkus publishes the global Kafka configuration bean (an {@code @Identifier}). */
    public static final String DEFAULT_BROKER = "default-kafka-broker";

    private final Map<String, Object> settings;
    private final MeterRegistry registry;

    /** Clients for a broker that needs nothing but its address (tests, the demo's own local broker). */
    public KafkaClients(String bootstrapServers) {
        this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), null);
    }

    /** @param settings the service's Kafka configuration, keys without the {@code kafka.} prefix */
    public KafkaClients(Map<String, ?> settings) {
        this(settings, null);
    }

    /** @param registry where each client's metrics are bound, or null for short-lived clients */
    public KafkaClients(Map<String, ?> settings, MeterRegistry registry) {
        Map<String, Object> copy = new HashMap<>(settings);
        // Quarkus adds the application name as a default group; whether a client joins a group is decided per client.
        copy.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (!(copy.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) instanceof String servers) || servers.isBlank()) {
            throw new IllegalArgumentException("the Kafka configuration has no bootstrap.servers (kafka.bootstrap.servers"
                    + " or KAFKA_BOOTSTRAP_SERVERS)");
        }
        this.settings = Map.copyOf(copy);
        this.registry = registry;
    }

    /** Idempotent, acks=all: an announcement or rejection is only taken as sent once every replica has it. */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        Properties p = base(clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        return measured(new KafkaProducer<>(p));
    }

    /**
     * A consumer that is assigned partitions by hand and never commits by itself; it reads committed records only
     * and never creates a topic by asking for it (the topics are the platform's, with their retention and compaction).
     *
     * @param groupId the group its manual commits are recorded for, or null for a reader that never commits
     */
    public KafkaConsumer<String, byte[]> consumer(String clientId, String groupId, int maxPollRecords) {
        Properties p = base(clientId);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return measured(new KafkaConsumer<>(p));
    }

    /** An admin client (topic creation, cluster checks) on the same configuration. */
    public Admin admin(String clientId) {
        return Admin.create(base(clientId));
    }

    /** The configuration every client starts from (without the per-client settings). */
    public Map<String, Object> settings() {
        return settings;
    }

    public String bootstrapServers() {
        return (String) settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    private Properties base(String clientId) {
        Properties p = new Properties();
        p.putAll(settings);
        Object prefix = settings.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG,
                prefix instanceof String s && !s.isBlank() ? s + "-" + clientId : clientId);
        return p;
    }

    private <C extends AutoCloseable> C measured(C client) {
        if (registry != null) {
            if (client instanceof KafkaProducer<?, ?> producer) {
                new KafkaClientMetrics(producer).bindTo(registry);
            } else if (client instanceof KafkaConsumer<?, ?> consumer) {
                new KafkaClientMetrics(consumer).bindTo(registry);
            }
        }
        return client;
    }
}
