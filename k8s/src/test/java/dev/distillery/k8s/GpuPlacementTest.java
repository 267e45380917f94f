package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GPU goes to the trainer in the gpu overlay, and nowhere else. */
class GpuPlacementTest {

    static final String GPU = "nvidia.com/gpu";

    @Test
    void gpuOverlayGivesTheTrainerOneGpuWithTheToleration() {
        Manifests m = Manifests.of("gpu");
        Deployment trainer = m.deployment(DistilleryService.TRAINER);
        Map<String, Quantity> limits = Pods.container(trainer).getResources().getLimits();
        assertEquals(new Quantity("1"), limits.get(GPU), "gpu: trainer limits." + GPU);
        boolean tolerated = Pods.nullSafe(Pods.spec(trainer).getTolerations()).stream()
                .anyMatch(GpuPlacementTest::toleratesGpuTaint);
        assertTrue(tolerated, "gpu: trainer needs a toleration for the " + GPU + ":NoSchedule taint");
        String device = ServiceProperties.of(DistilleryService.TRAINER)
                .value("distillery.model.device", Pods.environment(m, trainer)).orElse("auto");
        assertEquals("gpu", device, "gpu: trainer distillery.model.device (env DISTILLERY_MODEL_DEVICE)");
        assertTrue(Pods.container(trainer).getImage().endsWith("-cuda"),
                "gpu: the trainer needs the CUDA image (Dockerfile.jvm-cuda), is " + Pods.container(trainer).getImage());
    }

    @Test
    void gpuIsRequestedByTheTrainerInTheGpuOverlayOnly() {
        for (String overlay : new String[] {"cpu", "gpu", "cpu-minilm"}) {
            Manifests m = Manifests.of(overlay);
            for (DistilleryService service : DistilleryService.values()) {
                if (overlay.equals("gpu") && service == DistilleryService.TRAINER) {
                    continue;
                }
                Deployment deployment = m.deployment(service);
                var resources = Pods.container(deployment).getResources();
                assertFalse(Pods.nullSafe(resources.getLimits()).containsKey(GPU)
                        || Pods.nullSafe(resources.getRequests()).containsKey(GPU),
                        overlay + ": " + service.module() + " must not request a GPU");
                String device = ServiceProperties.of(service)
                        .value("distillery.model.device", Pods.environment(m, deployment)).orElse("auto");
                assertFalse(device.equals("gpu"), overlay + ": " + service.module() + " has no GPU but device=gpu");
            }
        }
        assertFalse(Manifests.of("cpu").yaml().contains(GPU), "cpu: the rendered overlay mentions " + GPU);
    }

    private static boolean toleratesGpuTaint(Toleration t) {
        boolean key = GPU.equals(t.getKey());
        boolean effect = t.getEffect() == null || "NoSchedule".equals(t.getEffect());
        return key && effect && ("Exists".equals(t.getOperator()) || "Equal".equals(t.getOperator()));
    }
}
