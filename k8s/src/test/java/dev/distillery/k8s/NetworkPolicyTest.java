package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the NetworkPolicies let through, evaluated per service pod: default deny, then exactly the needed ports
 * (own HTTP port in; DNS, the Kafka listener and, for the teacher only, HTTPS out).
 */
class NetworkPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void everyServicePodIsUnderADefaultDeny(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<NetworkPolicy> denies = m.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                        && Pods.nullSafe(p.getSpec().getIngress()).isEmpty()
                        && Pods.nullSafe(p.getSpec().getEgress()).isEmpty())
                .toList();
        assertFalse(denies.isEmpty(), overlay + ": no default-deny NetworkPolicy");
        for (DistilleryService service : DistilleryService.values()) {
            Map<String, String> labels = Pods.labels(m.deployment(service));
            assertTrue(denies.stream().anyMatch(p -> Pods.selects(p.getSpec().getPodSelector(), labels)),
                    overlay + ": " + service.module() + " pods escape the default deny (labels " + labels + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void ingressIsOnlyTheServicesOwnHttpPort(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (DistilleryService service : DistilleryService.values()) {
            Set<String> allowed = new TreeSet<>();
            Deployment deployment = m.deployment(service);
            for (NetworkPolicy policy : policiesFor(m, deployment)) {
                for (NetworkPolicyIngressRule rule : Pods.nullSafe(policy.getSpec().getIngress())) {
                    assertFalse(Pods.nullSafe(rule.getPorts()).isEmpty(), overlay + ": " + policy.getMetadata().getName()
                            + " allows ingress on every port");
                    assertFalse(Pods.nullSafe(rule.getFrom()).isEmpty(), overlay + ": " + policy.getMetadata().getName()
                            + " allows ingress from everywhere");
                    rule.getPorts().forEach(p -> allowed.add(portKey(deployment, p)));
                }
            }
            int http = Integer.parseInt(ServiceProperties.of(service)
                    .value("quarkus.http.port", Pods.environment(m, deployment)).orElseThrow());
            assertEquals(Set.of("TCP/" + http), allowed, overlay + ": ingress allowed into " + service.module());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void egressIsDnsKafkaAndForTheTeacherHttps(String overlay) {
        Manifests m = Manifests.of(overlay);
        GenericKubernetesResource kafka = KafkaResourcesTest.kafka(m);
        String cluster = kafka.getMetadata().getName();
        int kafkaPort = KafkaResourcesTest.plainListenerPort(m);
        for (DistilleryService service : DistilleryService.values()) {
            Deployment deployment = m.deployment(service);
            Set<String> allowed = new TreeSet<>();
            boolean kafkaReachable = false;
            for (NetworkPolicy policy : policiesFor(m, deployment)) {
                for (NetworkPolicyEgressRule rule : Pods.nullSafe(policy.getSpec().getEgress())) {
                    assertFalse(Pods.nullSafe(rule.getPorts()).isEmpty(), overlay + ": " + policy.getMetadata().getName()
                            + " allows egress on every port");
                    rule.getPorts().forEach(p -> allowed.add(portKey(deployment, p)));
                    boolean toKafkaPods = Pods.nullSafe(rule.getTo()).stream()
                            .map(NetworkPolicyPeer::getPodSelector)
                            .anyMatch(s -> s != null && cluster.equals(Pods.nullSafe(s.getMatchLabels()).get("strimzi.io/cluster")));
                    boolean onListener = rule.getPorts().stream()
                            .anyMatch(p -> Integer.valueOf(kafkaPort).equals(p.getPort().getIntVal()));
                    kafkaReachable |= toKafkaPods && onListener;
                }
            }
            Set<String> expected = new TreeSet<>(List.of("UDP/53", "TCP/53", "TCP/" + kafkaPort));
            if (service == DistilleryService.TEACHER) {
                expected.add("TCP/443"); // the LLM endpoint
            }
            if (service == DistilleryService.STUDENT) {
                expected.add("TCP/8081"); // the teacher, for the cascade's deferrals
            }
            assertEquals(expected, allowed, overlay + ": egress allowed from " + service.module());
            assertTrue(kafkaReachable, overlay + ": " + service.module() + " cannot reach the Kafka pods of " + cluster
                    + " on the plain listener port " + kafkaPort);
        }
    }

    /** The cascade: only the student's pods may call the teacher, on its HTTP port, and the student may call it. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void onlyTheStudentCallsTheTeacher(String overlay) {
        Manifests m = Manifests.of(overlay);
        Deployment teacher = m.deployment(DistilleryService.TEACHER);
        Map<String, String> teacherLabels = Pods.labels(teacher);
        Map<String, String> studentLabels = Pods.labels(m.deployment(DistilleryService.STUDENT));
        boolean studentAdmitted = false;
        for (NetworkPolicy policy : policiesFor(m, teacher)) {
            if (policy.getMetadata().getName().contains("metrics")) {
                continue; // the monitoring scrape of /q/metrics (overlay), not a caller of the teacher's API
            }
            for (NetworkPolicyIngressRule rule : Pods.nullSafe(policy.getSpec().getIngress())) {
                for (NetworkPolicyPeer peer : Pods.nullSafe(rule.getFrom())) {
                    assertTrue(peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                            && peer.getPodSelector() != null
                            && Pods.selects(peer.getPodSelector(), studentLabels)
                            && !Pods.nullSafe(peer.getPodSelector().getMatchLabels()).isEmpty(),
                            overlay + ": " + policy.getMetadata().getName() + " admits more than the student: " + peer);
                    studentAdmitted = true;
                }
            }
        }
        assertTrue(studentAdmitted, overlay + ": nothing admits the student into the teacher");
        int teacherPort = Integer.parseInt(ServiceProperties.of(DistilleryService.TEACHER)
                .value("quarkus.http.port", Pods.environment(m, teacher)).orElseThrow());
        boolean studentMayCall = policiesFor(m, m.deployment(DistilleryService.STUDENT)).stream()
                .flatMap(p -> Pods.nullSafe(p.getSpec().getEgress()).stream())
                .anyMatch(rule -> Pods.nullSafe(rule.getTo()).stream().anyMatch(peer -> peer.getPodSelector() != null
                        && Pods.selects(peer.getPodSelector(), teacherLabels))
                        && rule.getPorts().stream().anyMatch(p -> Integer.valueOf(teacherPort).equals(p.getPort().getIntVal())));
        assertTrue(studentMayCall, overlay + ": the student's egress does not reach the teacher on " + teacherPort);
        String url = Pods.environment(m, m.deployment(DistilleryService.STUDENT)).get("DISTILLERY_STUDENT_TEACHER_URL");
        assertEquals("http://teacher-service:" + teacherPort, url, overlay + ": the student's teacher URL");
        assertTrue(m.all(io.fabric8.kubernetes.api.model.Service.class).stream()
                .anyMatch(svc -> "teacher-service".equals(svc.getMetadata().getName())), "a teacher-service Service");
    }

    /** Strimzi's broker-side policy (from networkPolicyPeers) admits every Distillery service pod. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void kafkaListenerAdmitsTheServices(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<Map<String, Object>> listeners = KafkaResourcesTest.kafka(m).get("spec", "kafka", "listeners");
        for (Map<String, Object> listener : listeners) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> peers = (List<Map<String, Object>>) listener.get("networkPolicyPeers");
            if (peers == null) {
                continue; // Strimzi then admits everyone on this listener
            }
            for (DistilleryService service : DistilleryService.values()) {
                Map<String, String> labels = Pods.labels(m.deployment(service));
                boolean admitted = peers.stream().anyMatch(peer -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> selector = (Map<String, Object>) peer.get("podSelector");
                    @SuppressWarnings("unchecked")
                    Map<String, String> match = selector == null ? null : (Map<String, String>) selector.get("matchLabels");
                    return Pods.selects(match, labels);
                });
                assertTrue(admitted, overlay + ": listener " + listener.get("name") + " does not admit "
                        + service.module() + " (labels " + labels + ")");
            }
        }
    }

    private static List<NetworkPolicy> policiesFor(Manifests m, Deployment deployment) {
        Map<String, String> labels = Pods.labels(deployment);
        return m.all(NetworkPolicy.class).stream()
                .filter(p -> Pods.selects(p.getSpec().getPodSelector(), labels))
                .toList();
    }

    private static String portKey(Deployment deployment, NetworkPolicyPort port) {
        IntOrString number = port.getPort();
        int resolved = number == null ? -1 : Pods.portNumber(Pods.container(deployment), number);
        return (port.getProtocol() == null ? "TCP" : port.getProtocol()) + "/" + resolved;
    }
}
