package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a pretrained base reaches trainer and students: an image holds the Hugging Face directory under /model, an init
 * container copies it into an emptyDir, the service mounts it read-only where distillery.model.base points.
 */
class BaseModelDeliveryTest {

    private static final String OVERLAY = "cpu-minilm";
    /** What BaseModel.load reads from the directory. */
    private static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    @Test
    void trainerAndStudentsReadTheSameBaseFromTheImageThroughAnInitContainer() {
        Manifests m = Manifests.of(OVERLAY);
        String trainerImage = baseImage(m, DistilleryService.TRAINER);
        assertEquals(trainerImage, baseImage(m, DistilleryService.STUDENT),
                "trainer and students must load the same base: an adapter only fits the base it was trained on");
        assertTrue(trainerImage.matches("distillery/base-[a-z0-9.-]+:[0-9][0-9A-Za-z.-]*"),
                "base image " + trainerImage + " should be distillery/base-<name>:<tag> (no registry host)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theDefaultOverlaysUseTheEmbeddedTinyBase(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (DistilleryService service : List.of(DistilleryService.TRAINER, DistilleryService.STUDENT)) {
            Deployment deployment = m.deployment(service);
            assertEquals("tiny", ServiceProperties.of(service)
                    .value("distillery.model.base", Pods.environment(m, deployment)).orElse("tiny"), overlay);
            assertTrue(Pods.spec(deployment).getInitContainers() == null
                    || Pods.spec(deployment).getInitContainers().isEmpty(), overlay + ": no base to copy");
        }
    }

    @Test
    void theBaseImageCarriesTheFilesTheLoaderReadsAndRunsAsNonRoot() throws IOException {
        Path dockerfile = Repository.k8sModule().resolve("base-image/Dockerfile");
        String text = Files.readString(dockerfile);
        String copy = text.lines().filter(l -> l.startsWith("COPY")).findFirst()
                .orElseThrow(() -> new AssertionError("base-image/Dockerfile copies nothing"));
        for (String file : MODEL_FILES) {
            assertTrue(copy.contains("/" + file), "base-image/Dockerfile should copy " + file + ": " + copy);
        }
        assertTrue(copy.endsWith(" /model/"), "the files go to /model/, where the init container reads them: " + copy);
        String user = text.lines().filter(l -> l.startsWith("USER")).reduce((a, b) -> b).orElse("USER root");
        assertFalse(user.endsWith(" root") || user.endsWith(" 0"), "base image runs as root: " + user);
    }

    /** The base image of a service's init container, after checking the copy lands where the service reads. */
    private static String baseImage(Manifests m, DistilleryService service) {
        Deployment deployment = m.deployment(service);
        String where = OVERLAY + ": " + service.module();
        String base = ServiceProperties.of(service).value("distillery.model.base", Pods.environment(m, deployment))
                .orElseThrow(() -> new AssertionError(where + " sets no distillery.model.base"));
        assertTrue(base.startsWith("/"), where + ": distillery.model.base should be a mounted directory, is " + base);
        VolumeMount mount = Pods.mountAt(Pods.container(deployment), base)
                .orElseThrow(() -> new AssertionError(where + ": nothing mounted at distillery.model.base " + base));
        assertEquals(base, mount.getMountPath(), where + ": the base directory is the mount itself");
        assertEquals(Boolean.TRUE, mount.getReadOnly(), where + ": the service must not change its base");
        Volume volume = Pods.volume(deployment, mount.getName());
        assertNotNull(volume.getEmptyDir(), where + ": the base is copied into an emptyDir");

        List<Container> init = Pods.spec(deployment).getInitContainers();
        assertEquals(1, init == null ? 0 : init.size(), where + ": one init container copies the base");
        Container copier = init.get(0);
        VolumeMount target = copier.getVolumeMounts().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": the init container does not mount "
                        + mount.getName()));
        assertFalse(Boolean.TRUE.equals(target.getReadOnly()), where + ": the init container writes the base");
        assertEquals(List.of("cp", "-r", "/model/.", target.getMountPath() + "/"), copier.getCommand(),
                where + ": the init container copies the image's /model into the volume");
        assertEquals(Boolean.TRUE, copier.getSecurityContext().getReadOnlyRootFilesystem(), where);
        assertEquals(Boolean.FALSE, copier.getSecurityContext().getAllowPrivilegeEscalation(), where);
        assertNotNull(copier.getResources().getLimits(), where + ": the init container has limits");
        return copier.getImage();
    }
}
