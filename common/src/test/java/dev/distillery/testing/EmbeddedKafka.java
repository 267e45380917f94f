package dev.distillery.testing;

import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.internals.PlainSaslServerProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import dev.distillery.kafka.Topics;

/**
 * A real single-node KRaft Kafka (combined broker and controller) running inside the test JVM, plus the few
 * client operations tests need. No Docker, no in-memory connector: services talk to it over TCP on loopback.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Held so the levels stick: java.util.logging keeps loggers weakly. */
    private static final List<java.util.logging.Logger> QUIET = List.of("org.apache.kafka", "kafka", "state.change.logger")
            .stream().map(java.util.logging.Logger::getLogger).toList();

    /**
     * The client side of the secured broker's PLAIN login: the test kit's super user (its broker authorizes every
     * other user by ACL only).
     */
    public static final Map<String, String> SASL_PLAIN_CLIENT = Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");

    /** The broker's side: its own login (broker to controller) and the users it accepts. */
    private static final String SERVER_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"" + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\""
            + " user_" + JaasUtils.KAFKA_PLAIN_ADMIN + "=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";";

    private final KafkaClusterTestKit cluster;
    private final boolean sasl;

    private EmbeddedKafka(KafkaClusterTestKit cluster, boolean sasl) {
        this.cluster = cluster;
        this.sasl = sasl;
    }

    /** A broker with one PLAINTEXT listener. */
    public static EmbeddedKafka start() {
        return start(SecurityProtocol.PLAINTEXT);
    }

    /**
     * A broker whose client listener is SASL_PLAINTEXT with the PLAIN mechanism: a client without the
     * {@link #SASL_PLAIN_CLIENT} settings cannot use it.
     */
    public static EmbeddedKafka startSasl() {
        return start(SecurityProtocol.SASL_PLAINTEXT);
    }

    private static EmbeddedKafka start(SecurityProtocol protocol) {
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        // Kafka loads its SASL callback handlers and login modules through the thread's context class loader; in a
        // Quarkus test that is the application's loader, whose copies of the Kafka classes are not the broker's.
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedKafka.class.getClassLoader());
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(protocol)
                    .setControllerSecurityProtocol(protocol)
                    .build());
            if (protocol == SecurityProtocol.SASL_PLAINTEXT) {
                usePlainServerOfThisClassLoader();
                // The login in the broker's own configuration, per listener: the test kit's JVM-wide JAAS file does
                // not survive a second broker in the same JVM (each Quarkus test resource starts one).
                for (String listener : List.of("external", "controller")) {
                    builder.setConfigProp("listener.name." + listener + ".plain.sasl.jaas.config", SERVER_JAAS);
                }
            }
            KafkaClusterTestKit cluster = builder
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, protocol == SecurityProtocol.SASL_PLAINTEXT);
            kafka.createTopic(Topics.QUERIES, 2, Map.of());
            kafka.createTopic(Topics.LABELED, 1, Map.of("retention.ms", "-1"));
            kafka.createTopic(Topics.REJECTED, 1, Map.of());
            kafka.createTopic(Topics.CHECKPOINTS, 1, Map.of("cleanup.policy", "compact"));
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker", e);
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    /**
     * The broker's PLAIN mechanism is a JVM-wide security provider, registered once by whichever class loader first
     * loads Kafka's login module; each Quarkus test application has its own loader, and a provider from another one
     * refuses this broker's callbacks ("credentials for user could not be verified"). Re-register it from ours.
     */
    private static void usePlainServerOfThisClassLoader() {
        for (Provider provider : Security.getProviders()) {
            if (provider.getClass().getName().equals(PlainSaslServerProvider.class.getName())
                    && provider.getClass() != PlainSaslServerProvider.class) {
                Security.removeProvider(provider.getName());
            }
        }
        PlainSaslServerProvider.initialize();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** What a client needs to use this broker: its address, plus the SASL login when it is secured. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        if (sasl) {
            settings.putAll(SASL_PLAIN_CLIENT);
        }
        return settings;
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(clientSettings())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e);
            }
        }
    }

    public KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.putAll(clientSettings());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p);
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void send(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** A consumer reading the whole topic from the beginning, outside any consumer group. */
    public KafkaConsumer<String, byte[]> consumerFromBeginning(String topic) {
        Properties p = new Properties();
        p.putAll(clientSettings());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Reads the topic from the beginning until {@code done} holds for the records read so far, or the timeout passes;
     * returns everything read either way so the caller's assertion shows what did arrive.
     */
    public List<ConsumerRecord<String, byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = consumerFromBeginning(topic)) {
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Sets (or, with a null value, removes) one configuration entry of a topic, e.g. to make it refuse writes. */
    public void setTopicConfig(String topic, String key, String value) {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        var op = value == null
                ? new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(key, ""),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.DELETE)
                : new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(key, value),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
        try (Admin admin = Admin.create(clientSettings())) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot change " + key + " of " + topic, e);
        }
    }

    /**
     * Shuts the broker side of the node down (its client listener closes; the controller and the log directories
     * stay), as a broker process that goes away. {@link #restartBroker} brings it back on the same port and logs.
     */
    public void stopBroker() {
        cluster.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    /** Starts the broker stopped by {@link #stopBroker} again and waits until it answers clients. */
    public void restartBroker() {
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedKafka.class.getClassLoader()); // as in start
        try {
            cluster.brokers().values().forEach(broker -> broker.startup());
        } finally {
            thread.setContextClassLoader(context);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(clientSettings())) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the restarted broker does not answer", e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded Kafka broker", e);
        }
    }
}
