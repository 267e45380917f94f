package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Strimzi resources conform to the v1 CRD schemas: a misspelled or removed (v1beta2-only) field fails. */
class StrimziSchemaTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void strimziResourcesConformToTheV1Schemas(String overlay) {
        List<String> problems = new ArrayList<>();
        for (GenericKubernetesResource resource : Manifests.of(overlay).customResourcesBut(Manifests.MONITORING_GROUP)) {
            StrimziSchema schema = StrimziSchema.forKind(resource.getKind());
            assertEquals(schema.apiVersion(), resource.getApiVersion(), overlay + ": " + resource.getKind());
            for (String violation : schema.violations(asMap(resource))) {
                problems.add(resource.getKind() + "/" + resource.getMetadata().getName() + " " + violation);
            }
        }
        assertEquals(List.of(), problems, overlay + ": Strimzi resources that the v1 CRDs would reject or prune");
    }

    @Test
    void schemaCheckCatchesMisspelledAndRemovedFields() {
        String kafka = """
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k}
                spec:
                  kafka:
                    replicas: 3
                    listners: []
                    listeners:
                      - {name: plain, port: 9092, type: internal, tls: "false"}
                  zookeeper: {replicas: 3}
                """;
        List<String> violations = StrimziSchema.forKind("Kafka").violations(asMap(parse(kafka)));
        assertTrue(violations.contains("spec.kafka.replicas: unknown field (not in the v1 schema)"), violations.toString());
        assertTrue(violations.contains("spec.kafka.listners: unknown field (not in the v1 schema)"), violations.toString());
        assertTrue(violations.contains("spec.zookeeper: unknown field (not in the v1 schema)"), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("spec.kafka.listeners[0].tls: expected boolean")),
                violations.toString());

        String topic = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 0, replica: 1}
                """;
        List<String> topicViolations = StrimziSchema.forKind("KafkaTopic").violations(asMap(parse(topic)));
        assertTrue(topicViolations.contains("spec.replica: unknown field (not in the v1 schema)"), topicViolations.toString());
        assertTrue(topicViolations.stream().anyMatch(v -> v.startsWith("spec.partitions: 0 below minimum")),
                topicViolations.toString());
    }

    private static GenericKubernetesResource parse(String yaml) {
        return (GenericKubernetesResource) Manifests.parseDocument("test", yaml);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(GenericKubernetesResource resource) {
        return SERIALIZATION.convertValue(resource, Map.class);
    }
}
