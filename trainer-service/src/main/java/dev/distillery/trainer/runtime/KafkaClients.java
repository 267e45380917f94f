package dev.distillery.trainer.runtime;

import java.util.Properties;

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
 * The trainer's Kafka clients: String keys and byte[] values (UTF-8 JSON decoded explicitly by the trainer). Raw
 * clients, not SmallRye channels: the trainer assigns partitions and commits by hand. Given a registry, each client's
 * own metrics (records, lag, request rates) are published at /q/metrics, as Quarkus does for the channels' clients.
 */
public final class KafkaClients {

    private final String bootstrapServers;
    private final MeterRegistry registry;

    /** Clients without metrics: short-lived readers (dataset export). */
    public KafkaClients(String bootstrapServers) {
        this(bootstrapServers, null);
    }

    public KafkaClients(String bootstrapServers, MeterRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
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

    /** Idempotent, acks=all: an announcement or rejection is only taken as sent once every replica has it. */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return measured(new KafkaProducer<>(p));
    }

    /**
     * A consumer that is assigned partitions by hand and never commits by itself.
     *
     * @param groupId the group its manual commits are recorded for, or null for a reader that never commits
     */
    public KafkaConsumer<String, byte[]> consumer(String clientId, String groupId, int maxPollRecords) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return measured(new KafkaConsumer<>(p));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
