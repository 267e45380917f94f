package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Students (and the teacher behind their cascade) scale on CPU; students survive voluntary disruptions. */
class StudentScalingTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void autoscalerTargetsTheStudentDeployment(String overlay) {
        assertAutoscaled(overlay, DistilleryService.STUDENT);
    }

    /** The teacher also answers the students' deferrals over HTTP (the cascade): it scales on CPU too. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void autoscalerTargetsTheTeacherDeployment(String overlay) {
        assertAutoscaled(overlay, DistilleryService.TEACHER);
    }

    private static void assertAutoscaled(String overlay, DistilleryService service) {
        Manifests m = Manifests.of(overlay);
        Deployment student = m.deployment(service);
        HorizontalPodAutoscaler hpa = m.get(HorizontalPodAutoscaler.class, service.module());
        assertEquals("autoscaling/v2", hpa.getApiVersion());
        var target = hpa.getSpec().getScaleTargetRef();
        assertEquals("apps/v1", target.getApiVersion(), overlay + ": HPA target apiVersion");
        assertEquals("Deployment", target.getKind(), overlay + ": HPA target kind");
        assertEquals(student.getMetadata().getName(), target.getName(), overlay + ": HPA target name");
        int min = hpa.getSpec().getMinReplicas();
        int max = hpa.getSpec().getMaxReplicas();
        assertTrue(min >= 1 && max > min, overlay + ": HPA min " + min + " max " + max);
        assertFalse(hpa.getSpec().getMetrics().isEmpty(), overlay + ": HPA needs a metric");
        for (MetricSpec metric : hpa.getSpec().getMetrics()) {
            if ("Resource".equals(metric.getType())) {
                String resource = metric.getResource().getName();
                assertTrue(Pods.container(student).getResources().getRequests().containsKey(resource),
                        overlay + ": HPA scales on " + resource + " utilization, which needs a " + resource + " request");
            }
        }
        // The HPA owns the replica count: a replicas field would be reset on every apply.
        assertNull(student.getSpec().getReplicas(), overlay + ": " + service.module()
                + " Deployment must leave replicas to the HPA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void disruptionBudgetCoversExactlyTheStudents(String overlay) {
        Manifests m = Manifests.of(overlay);
        PodDisruptionBudget pdb = m.get(PodDisruptionBudget.class, "student-service");
        assertEquals("policy/v1", pdb.getApiVersion());
        for (DistilleryService service : DistilleryService.values()) {
            boolean selected = Pods.selects(pdb.getSpec().getSelector(), Pods.labels(m.deployment(service)));
            assertEquals(service == DistilleryService.STUDENT, selected,
                    overlay + ": PDB selection of " + service.module());
        }
        assertTrue(pdb.getSpec().getMaxUnavailable() != null || pdb.getSpec().getMinAvailable() != null,
                overlay + ": PDB sets no budget");
    }
}
