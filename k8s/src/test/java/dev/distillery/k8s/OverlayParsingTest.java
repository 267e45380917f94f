package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every overlay renders, and every object in it is a typed Kubernetes object with no unknown field. */
class OverlayParsingTest {

    static final String NAMESPACE = "distillery";
    private static final Pattern IMAGE = Pattern.compile("distillery/([a-z-]+):([0-9][0-9A-Za-z.-]*)");

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void everyObjectParsesWithoutUnknownFields(String overlay) {
        Manifests manifests = Manifests.of(overlay);
        assertFalse(manifests.objects().isEmpty(), overlay + " rendered no objects");
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : manifests.objects()) {
            for (String field : StrictModel.unknownFields(object)) {
                problems.add(object.getKind() + "/" + object.getMetadata().getName() + ": unknown field " + field);
            }
        }
        assertEquals(List.of(), problems, overlay + ": fields the Kubernetes API would reject or ignore");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void everyKindTheDeploymentNeedsIsThere(String overlay) {
        Manifests m = Manifests.of(overlay);
        m.get(Namespace.class, NAMESPACE);
        for (DistilleryService service : DistilleryService.values()) {
            m.deployment(service);
            m.get(Service.class, service.module());
        }
        m.get(HorizontalPodAutoscaler.class, DistilleryService.STUDENT.module());
        m.get(PodDisruptionBudget.class, DistilleryService.STUDENT.module());
        m.get(PersistentVolumeClaim.class, "distillery-checkpoints");
        assertFalse(m.all(NetworkPolicy.class).isEmpty(), overlay + ": no NetworkPolicy");
        assertEquals(1, m.strimzi("Kafka").size(), overlay + ": Kafka resources");
        assertFalse(m.strimzi("KafkaNodePool").isEmpty(), overlay + ": no KafkaNodePool");
        assertEquals(4, m.strimzi("KafkaTopic").size(), overlay + ": KafkaTopic resources");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void everyNamespacedObjectIsInTheDistilleryNamespace(String overlay) {
        for (HasMetadata object : Manifests.of(overlay).objects()) {
            if (object instanceof Namespace) {
                continue;
            }
            assertEquals(NAMESPACE, object.getMetadata().getNamespace(),
                    overlay + ": " + object.getKind() + "/" + object.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void everyConfigMapSecretAndClaimAPodUsesIsRendered(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Deployment deployment : m.all(Deployment.class)) {
            Container container = Pods.container(deployment);
            for (EnvFromSource source : Pods.nullSafe(container.getEnvFrom())) {
                if (source.getConfigMapRef() != null) {
                    m.get(ConfigMap.class, source.getConfigMapRef().getName());
                }
                if (source.getSecretRef() != null) {
                    m.get(Secret.class, source.getSecretRef().getName());
                }
            }
            Pods.environment(m, deployment); // resolves every valueFrom reference
            for (Volume volume : Pods.nullSafe(Pods.spec(deployment).getVolumes())) {
                if (volume.getConfigMap() != null) {
                    m.get(ConfigMap.class, volume.getConfigMap().getName());
                }
                if (volume.getPersistentVolumeClaim() != null) {
                    m.get(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
                }
            }
            container.getVolumeMounts().forEach(mount -> Pods.volume(deployment, mount.getName()));
        }
    }

    /** Images are distillery/<module>:<tag>, with no registry host, and built by that module's Dockerfile. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void imagesAreTheServicesOwnImagesWithoutRegistryHost(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (DistilleryService service : DistilleryService.values()) {
            String image = Pods.container(m.deployment(service)).getImage();
            Matcher match = IMAGE.matcher(image);
            assertTrue(match.matches(), overlay + ": " + service.module() + " image " + image
                    + " should be distillery/<module>:<tag> (no registry host, explicit tag)");
            assertEquals(service.module(), match.group(1), overlay + ": image of " + service.module());
            String dockerfile = match.group(2).endsWith("-cuda") ? "Dockerfile.jvm-cuda" : "Dockerfile.jvm";
            Path file = Repository.module(service.module()).resolve("src/main/docker").resolve(dockerfile);
            assertTrue(Files.isRegularFile(file), overlay + ": image " + image + " has no " + file);
        }
        if (!m.yaml().contains("image:")) {
            fail(overlay + ": no image rendered");
        }
    }
}
