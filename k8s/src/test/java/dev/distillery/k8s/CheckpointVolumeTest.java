package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer writes checkpoints where the students read them: same claim, and the configured dir is the mount. */
class CheckpointVolumeTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void trainerAndStudentsShareTheCheckpointClaimAtTheConfiguredDirectory(String overlay) {
        Manifests m = Manifests.of(overlay);
        Mount trainer = checkpointMount(m, DistilleryService.TRAINER);
        Mount student = checkpointMount(m, DistilleryService.STUDENT);
        assertEquals(trainer.claim(), student.claim(), overlay + ": trainer and students must mount the same claim");
        // Announcements carry the checkpoint's path as the trainer wrote it: the students must see the same path.
        assertEquals(trainer.path(), student.path(), overlay + ": distillery.checkpoints.dir must be the same path in "
                + "trainer and students (announced checkpoint URIs are trainer paths)");
        assertFalse(Boolean.TRUE.equals(trainer.mount().getReadOnly()), overlay + ": the trainer writes checkpoints");
        m.get(PersistentVolumeClaim.class, trainer.claim());

        Container teacher = Pods.container(m.deployment(DistilleryService.TEACHER));
        Deployment teacherDeployment = m.deployment(DistilleryService.TEACHER);
        for (VolumeMount mount : teacher.getVolumeMounts()) {
            assertTrue(Pods.volume(teacherDeployment, mount.getName()).getPersistentVolumeClaim() == null,
                    overlay + ": the teacher needs no checkpoint volume");
        }
    }

    /** A checkpoint is a LoRA adapter for one base model and one task: students must load it onto the same ones. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void trainerAndStudentsAgreeOnBaseModelAndTask(String overlay) {
        Manifests m = Manifests.of(overlay);
        Deployment trainer = m.deployment(DistilleryService.TRAINER);
        Deployment student = m.deployment(DistilleryService.STUDENT);
        String trainerBase = ServiceProperties.of(DistilleryService.TRAINER)
                .value("distillery.model.base", Pods.environment(m, trainer)).orElse("tiny");
        String studentBase = ServiceProperties.of(DistilleryService.STUDENT)
                .value("distillery.model.base", Pods.environment(m, student)).orElse("tiny");
        assertEquals(trainerBase, studentBase, overlay + ": distillery.model.base of trainer and students");
        assertEquals(taskConfigMap(m, trainer), taskConfigMap(m, student), overlay + ": task of trainer and students");
        assertEquals(taskConfigMap(m, trainer), taskConfigMap(m, m.deployment(DistilleryService.TEACHER)),
                overlay + ": task of trainer and teacher");
    }

    private static String taskConfigMap(Manifests m, Deployment deployment) {
        DistilleryService service = java.util.Arrays.stream(DistilleryService.values())
                .filter(s -> s.module().equals(deployment.getMetadata().getName())).findFirst().orElseThrow();
        String path = ServiceProperties.of(service).value("distillery.task.path", Pods.environment(m, deployment))
                .orElseThrow(() -> new AssertionError(m.overlay() + ": " + service.module() + " has no task path"));
        VolumeMount mount = Pods.mountAt(Pods.container(deployment), path)
                .orElseThrow(() -> new AssertionError(m.overlay() + ": nothing mounted at " + path));
        return Pods.volume(deployment, mount.getName()).getConfigMap().getName();
    }

    /** One trainer, never two (also not during a rollout): one process trains one model. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void exactlyOneTrainer(String overlay) {
        Deployment trainer = Manifests.of(overlay).deployment(DistilleryService.TRAINER);
        assertEquals(1, trainer.getSpec().getReplicas(), overlay + ": trainer replicas");
        assertEquals("Recreate", trainer.getSpec().getStrategy().getType(), overlay + ": trainer rollout strategy");
    }

    @Test
    void gpuOverlayKeepsReadWriteManyAndCpuOverlayUsesSingleNodeReadWriteOnce() {
        assertEquals(List.of("ReadWriteMany"), accessModes("gpu"),
                "gpu: students on several nodes read the trainer's checkpoints: ReadWriteMany");
        assertEquals(List.of("ReadWriteOnce"), accessModes("cpu"),
                "cpu: laptop clusters have no RWX class; RWO works because all pods share the one node");
    }

    private static List<String> accessModes(String overlay) {
        return Manifests.of(overlay).get(PersistentVolumeClaim.class, "distillery-checkpoints").getSpec().getAccessModes();
    }

    private record Mount(String path, String claim, VolumeMount mount) {
    }

    private static Mount checkpointMount(Manifests m, DistilleryService service) {
        Deployment deployment = m.deployment(service);
        String where = m.overlay() + ": " + service.module();
        String dir = ServiceProperties.of(service).value("distillery.checkpoints.dir", Pods.environment(m, deployment))
                .orElseThrow(() -> new AssertionError(where + " sets no distillery.checkpoints.dir "
                        + "(env DISTILLERY_CHECKPOINTS_DIR): checkpoints would land in the container's filesystem"));
        assertTrue(dir.startsWith("/"), where + ": distillery.checkpoints.dir must be absolute, is " + dir);
        VolumeMount mount = Pods.mountAt(Pods.container(deployment), dir).orElseThrow(() -> new AssertionError(
                where + ": distillery.checkpoints.dir=" + dir + " but no volume is mounted there"));
        Volume volume = Pods.volume(deployment, mount.getName());
        assertNotNull(volume.getPersistentVolumeClaim(), where + ": checkpoints must be on a PersistentVolumeClaim");
        return new Mount(dir, volume.getPersistentVolumeClaim().getClaimName(), mount);
    }
}
