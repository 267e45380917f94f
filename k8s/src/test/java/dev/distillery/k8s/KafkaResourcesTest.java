package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Strimzi resources: v1 API, KRaft with node pools, and the topics the services actually use. */
class KafkaResourcesTest {

    /** CONVENTIONS.md defaults of distillery.topics.* (dev.distillery.kafka.Topics). */
    static final Map<String, String> TOPIC_KEYS = Map.of(
            "distillery.topics.queries", "distill.queries",
            "distillery.topics.labeled", "distill.labeled",
            "distillery.topics.rejected", "distill.rejected",
            "distillery.topics.checkpoints", "distill.checkpoints");

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void strimziResourcesUseTheV1Api(String overlay) {
        List<GenericKubernetesResource> strimzi = Manifests.of(overlay).customResourcesBut(Manifests.MONITORING_GROUP);
        assertFalse(strimzi.isEmpty());
        for (GenericKubernetesResource r : strimzi) {
            assertEquals(Manifests.STRIMZI_API_VERSION, r.getApiVersion(), overlay + ": " + r.getKind() + "/"
                    + r.getMetadata().getName() + " must use " + Manifests.STRIMZI_API_VERSION);
            assertTrue(Set.of("Kafka", "KafkaNodePool", "KafkaTopic").contains(r.getKind()),
                    overlay + ": unexpected Strimzi kind " + r.getKind());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void kafkaRunsInKraftModeOnANodePoolWithBothRoles(String overlay) {
        Manifests m = Manifests.of(overlay);
        GenericKubernetesResource kafka = kafka(m);
        String cluster = kafka.getMetadata().getName();
        // v1 removed ZooKeeper and the in-resource broker definition: nodes come from KafkaNodePools only.
        assertNull(kafka.get("spec", "zookeeper"), overlay + ": spec.zookeeper does not exist in v1");
        assertNull(kafka.get("spec", "kafka", "replicas"), overlay + ": spec.kafka.replicas: use a KafkaNodePool");
        assertNull(kafka.get("spec", "kafka", "storage"), overlay + ": spec.kafka.storage: use a KafkaNodePool");
        assertNotNull(kafka.get("spec", "entityOperator", "topicOperator"),
                overlay + ": the topic operator must run, or the KafkaTopic resources are never created");
        Set<String> roles = new HashSet<>();
        for (GenericKubernetesResource pool : m.strimzi("KafkaNodePool")) {
            assertEquals(cluster, pool.getMetadata().getLabels().get("strimzi.io/cluster"),
                    overlay + ": node pool " + pool.getMetadata().getName() + " must name its cluster");
            List<String> poolRoles = pool.get("spec", "roles");
            roles.addAll(poolRoles);
            assertNotNull(pool.get("spec", "storage", "type"), overlay + ": node pool storage");
        }
        assertEquals(Set.of("controller", "broker"), roles, overlay + ": KRaft needs controllers and brokers");
    }

    /** The bootstrap address every service is given is the plain listener of this Kafka. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void servicesBootstrapFromThePlainListener(String overlay) {
        Manifests m = Manifests.of(overlay);
        GenericKubernetesResource kafka = kafka(m);
        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + plainListenerPort(m);
        for (DistilleryService service : DistilleryService.values()) {
            Map<String, String> env = Pods.environment(m, m.deployment(service));
            String configured = ServiceProperties.of(service).value("kafka.bootstrap.servers", env).orElse("");
            assertEquals(bootstrap, configured, overlay + ": kafka.bootstrap.servers of " + service.module()
                    + " (env KAFKA_BOOTSTRAP_SERVERS) must be the Strimzi bootstrap service");
        }
    }

    /** Each topic a service resolves from its configuration (application.properties + env) is declared. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void topicsTheServicesUseAreDeclared(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> declared = topicNames(m);
        assertEquals(new TreeSet<>(TOPIC_KEYS.values()), new TreeSet<>(declared),
                overlay + ": KafkaTopic names must be the four pipeline topics");
        for (DistilleryService service : DistilleryService.values()) {
            ServiceProperties properties = ServiceProperties.of(service);
            Map<String, String> env = Pods.environment(m, m.deployment(service));
            for (var key : TOPIC_KEYS.entrySet()) {
                String topic = properties.value(key.getKey(), env).orElse(key.getValue());
                assertTrue(declared.contains(topic), overlay + ": " + service.module() + " resolves "
                        + key.getKey() + " to " + topic + ", which no KafkaTopic declares (declared: " + declared + ")");
            }
            // Channels in application.properties (mp.messaging.*.topic), resolved with the pod's environment.
            for (String key : properties.keys()) {
                if (key.startsWith("mp.messaging.") && key.endsWith(".topic")) {
                    String topic = properties.value(key, env).orElseThrow();
                    assertTrue(declared.contains(topic), overlay + ": " + service.module() + " channel " + key
                            + " resolves to topic " + topic + ", which no KafkaTopic declares (declared: " + declared
                            + "); auto.create.topics.enable is off");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void topicConfigurationsFitTheirRole(String overlay) {
        Manifests m = Manifests.of(overlay);
        GenericKubernetesResource labeled = topic(m, "distill.labeled");
        assertEquals("-1", String.valueOf(config(labeled).get("retention.ms")),
                overlay + ": distill.labeled is the dataset and must be kept (retention.ms -1)");
        GenericKubernetesResource checkpoints = topic(m, "distill.checkpoints");
        assertEquals("compact", String.valueOf(config(checkpoints).get("cleanup.policy")),
                overlay + ": distill.checkpoints must be compacted (latest announcement per task)");
        int partitions = ((Number) topic(m, "distill.queries").get("spec", "partitions")).intValue();
        Deployment teacher = m.deployment(DistilleryService.TEACHER);
        int teachers = teacher.getSpec().getReplicas() == null ? 1 : teacher.getSpec().getReplicas();
        assertTrue(partitions >= 6 && partitions >= teachers, overlay + ": distill.queries has " + partitions
                + " partitions; teacher replicas (" + teachers + ") above that would idle, and it should leave room to scale");
        for (GenericKubernetesResource t : m.strimzi("KafkaTopic")) {
            assertEquals(kafka(m).getMetadata().getName(), t.getMetadata().getLabels().get("strimzi.io/cluster"),
                    overlay + ": topic " + t.getMetadata().getName() + " must carry strimzi.io/cluster");
        }
    }

    /** Replication never asks for more brokers than the node pools run, or the topics are never created. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void replicationFitsTheBrokers(String overlay) {
        Manifests m = Manifests.of(overlay);
        int brokers = m.strimzi("KafkaNodePool").stream()
                .filter(p -> ((List<?>) p.get("spec", "roles")).contains("broker"))
                .mapToInt(p -> ((Number) p.get("spec", "replicas")).intValue())
                .sum();
        Map<String, Object> config = kafka(m).get("spec", "kafka", "config");
        for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor", "min.insync.replicas")) {
            int value = ((Number) config.get(key)).intValue();
            assertTrue(value <= brokers, overlay + ": " + key + "=" + value + " but only " + brokers + " broker(s)");
        }
        int minInsync = ((Number) config.get("min.insync.replicas")).intValue();
        for (GenericKubernetesResource t : m.strimzi("KafkaTopic")) {
            int replicas = ((Number) t.get("spec", "replicas")).intValue();
            assertTrue(replicas <= brokers && replicas >= minInsync, overlay + ": topic " + t.getMetadata().getName()
                    + " replicas " + replicas + " must be between min.insync.replicas " + minInsync + " and brokers " + brokers);
        }
    }

    static GenericKubernetesResource kafka(Manifests m) {
        List<GenericKubernetesResource> kafkas = m.strimzi("Kafka");
        assertEquals(1, kafkas.size(), m.overlay() + ": exactly one Kafka");
        return kafkas.get(0);
    }

    /** The port of the internal plaintext listener the services connect to. */
    static int plainListenerPort(Manifests m) {
        List<Map<String, Object>> listeners = kafka(m).get("spec", "kafka", "listeners");
        return listeners.stream()
                .filter(l -> Boolean.FALSE.equals(l.get("tls")) && "internal".equals(l.get("type")))
                .map(l -> ((Number) l.get("port")).intValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError(m.overlay() + ": no internal non-TLS listener"));
    }

    static Set<String> topicNames(Manifests m) {
        return m.strimzi("KafkaTopic").stream().map(KafkaResourcesTest::topicName).collect(Collectors.toSet());
    }

    static String topicName(GenericKubernetesResource topic) {
        Object explicit = topic.get("spec", "topicName");
        return explicit != null ? explicit.toString() : topic.getMetadata().getName();
    }

    static GenericKubernetesResource topic(Manifests m, String name) {
        return m.strimzi("KafkaTopic").stream().filter(t -> name.equals(topicName(t))).findFirst()
                .orElseThrow(() -> new AssertionError(m.overlay() + ": no KafkaTopic " + name));
    }

    static Map<String, Object> config(GenericKubernetesResource topic) {
        Map<String, Object> config = topic.get("spec", "config");
        return config == null ? Map.of() : config;
    }
}
