package dev.distillery.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each service's Deployment and Service against the service's own configuration: port, health endpoints,
 * environment variables that map to configuration keys it reads, the task mount, and the pod's hardening.
 */
class ServiceWiringTest {

    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";
    private static final Path BUILT_IN_TASK = Path.of("common/src/main/resources/dev/distillery/task/language-id");

    static Stream<Arguments> overlaysAndServices() {
        List<Arguments> all = new ArrayList<>();
        for (String overlay : List.of("cpu", "gpu", "cpu-minilm")) {
            for (DistilleryService service : DistilleryService.values()) {
                all.add(Arguments.of(overlay, service));
            }
        }
        return all.stream();
    }

    /** quarkus.http.port, as the pod resolves it, is the container port, the Service's target and the probes' port. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndServices")
    void portMatchesTheServicesHttpPort(String overlay, DistilleryService service) {
        Manifests m = Manifests.of(overlay);
        Deployment deployment = m.deployment(service);
        Container container = Pods.container(deployment);
        Map<String, String> env = Pods.environment(m, deployment);
        ServiceProperties properties = ServiceProperties.of(service);
        int port = Integer.parseInt(properties.value("quarkus.http.port", env).orElseThrow(() -> new AssertionError(
                service.module() + ": quarkus.http.port is not set in " + ServiceProperties.file(service)
                        + " (CONVENTIONS.md fixes it to " + service.conventionPort() + ")")));
        assertEquals(service.conventionPort(), port, service.module() + ": quarkus.http.port differs from CONVENTIONS.md");
        assertEquals(List.of(port), container.getPorts().stream().map(p -> p.getContainerPort()).toList(),
                overlay + ": " + service.module() + " containerPort must be quarkus.http.port");

        Map<String, String> annotations = Pods.nullSafe(deployment.getSpec().getTemplate().getMetadata().getAnnotations());
        if (annotations.containsKey("prometheus.io/port")) {
            assertEquals(String.valueOf(port), annotations.get("prometheus.io/port"),
                    overlay + ": " + service.module() + " prometheus.io/port must be the HTTP port (/q/metrics)");
        }

        Service svc = m.get(Service.class, service.module());
        assertTrue(Pods.selects(svc.getSpec().getSelector(), Pods.labels(deployment)),
                overlay + ": Service " + svc.getMetadata().getName() + " selects no pod of its Deployment");
        assertEquals(1, svc.getSpec().getPorts().size(), overlay + ": Service ports of " + service.module());
        ServicePort servicePort = svc.getSpec().getPorts().get(0);
        assertEquals(port, servicePort.getPort(), overlay + ": Service port of " + service.module());
        assertEquals(port, Pods.portNumber(container, servicePort.getTargetPort()),
                overlay + ": Service targetPort of " + service.module());
    }

    /** Probes hit SmallRye Health's endpoints, which exist only with the extension and the default /q root. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndServices")
    void probesUseTheHealthEndpoints(String overlay, DistilleryService service) throws IOException {
        Manifests m = Manifests.of(overlay);
        Container container = Pods.container(m.deployment(service));
        int port = service.conventionPort();
        assertProbe(overlay, service, "readiness", container.getReadinessProbe(), READY, container, port);
        assertProbe(overlay, service, "liveness", container.getLivenessProbe(), LIVE, container, port);
        if (container.getStartupProbe() != null) {
            assertProbe(overlay, service, "startup", container.getStartupProbe(), LIVE, container, port);
        }
        String pom = Files.readString(Repository.module(service.module()).resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>quarkus-smallrye-health</artifactId>"),
                service.module() + "/pom.xml lacks quarkus-smallrye-health: " + READY + " and " + LIVE + " would be 404");
        ServiceProperties properties = ServiceProperties.of(service);
        for (String key : List.of("quarkus.http.root-path", "quarkus.http.non-application-root-path",
                "quarkus.smallrye-health.root-path", "quarkus.smallrye-health.readiness-path",
                "quarkus.smallrye-health.liveness-path")) {
            assertFalse(properties.keys().contains(key), service.module() + " sets " + key
                    + ", which moves the health endpoints away from the probes' " + READY + " / " + LIVE);
        }
    }

    private static void assertProbe(String overlay, DistilleryService service, String kind, Probe probe, String path,
            Container container, int port) {
        String where = overlay + ": " + service.module() + " " + kind + " probe";
        assertNotNull(probe, where + " is missing");
        assertNotNull(probe.getHttpGet(), where + " must be an HTTP GET");
        assertEquals(path, probe.getHttpGet().getPath(), where + " path");
        assertEquals(port, Pods.portNumber(container, probe.getHttpGet().getPort()), where + " port");
    }

    /** Every environment variable is a configuration key this service reads (or a JVM/DJL runtime setting). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndServices")
    void environmentVariablesMapToConfigurationKeys(String overlay, DistilleryService service) {
        Manifests m = Manifests.of(overlay);
        Map<String, String> env = Pods.environment(m, m.deployment(service));
        Map<String, String> known = ServiceProperties.of(service).knownKeysByEnvironmentName();
        List<String> unknown = env.keySet().stream()
                .filter(name -> !known.containsKey(name) && !DistilleryService.RUNTIME_VARIABLES.contains(name))
                .sorted()
                .toList();
        assertEquals(List.of(), unknown, overlay + ": " + service.module() + " is given environment variables that "
                + "map to no configuration key it reads (keys: " + ServiceProperties.file(service)
                + " plus CONVENTIONS.md/API.md). Misspelled, or meant for another service?");
    }

    /** The API key reaches the teacher from a Secret, never from a ConfigMap or a literal. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cpu", "gpu", "cpu-minilm"})
    void teacherApiKeyComesFromASecret(String overlay) {
        Manifests m = Manifests.of(overlay);
        String name = DistilleryService.environmentName("distillery.teacher.openai.api-key");
        for (DistilleryService service : DistilleryService.values()) {
            Map<String, String> env = Pods.environment(m, m.deployment(service));
            if (service == DistilleryService.TEACHER) {
                assertEquals(Pods.FROM_SECRET, env.get(name), overlay + ": teacher " + name + " must come from a Secret");
            } else {
                assertFalse(env.containsKey(name), overlay + ": " + service.module() + " must not receive the API key");
            }
        }
        // The committed Secret is a placeholder: a real key belongs in the user's own overlay, never in the repository.
        var teacher = Pods.container(m.deployment(DistilleryService.TEACHER));
        var ref = teacher.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef();
        assertEquals("", Pods.secretValue(m.secret(ref.getName()), ref.getKey()),
                overlay + ": the committed API key Secret must stay empty");
        for (ConfigMap map : m.all(ConfigMap.class)) {
            assertFalse(Pods.nullSafe(map.getData()).containsKey(name), overlay + ": API key in ConfigMap "
                    + map.getMetadata().getName());
        }
    }

    /** DISTILLERY_TASK_PATH is where the task ConfigMap is mounted, and that ConfigMap holds the task's files. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndServices")
    void taskPathIsTheMountedTaskConfigMap(String overlay, DistilleryService service) throws IOException {
        Manifests m = Manifests.of(overlay);
        Deployment deployment = m.deployment(service);
        Container container = Pods.container(deployment);
        String path = ServiceProperties.of(service).value("distillery.task.path", Pods.environment(m, deployment))
                .orElseThrow(() -> new AssertionError(overlay + ": " + service.module() + " has no distillery.task.path"
                        + " (env DISTILLERY_TASK_PATH): it would run the built-in task, not the mounted one"));
        VolumeMount mount = Pods.mountAt(container, path).orElseThrow(() -> new AssertionError(overlay + ": "
                + service.module() + " DISTILLERY_TASK_PATH=" + path + " but nothing is mounted there"));
        Volume volume = Pods.volume(deployment, mount.getName());
        assertNotNull(volume.getConfigMap(), overlay + ": the task volume must be a ConfigMap");
        assertTrue(Boolean.TRUE.equals(mount.getReadOnly()), overlay + ": task mount should be read-only");
        Map<String, String> files = Pods.nullSafe(m.configMap(volume.getConfigMap().getName()).getData());
        assertTrue(files.containsKey("task.json"), overlay + ": task ConfigMap lacks task.json: " + files.keySet());
        JsonNode task = new ObjectMapper().readTree(files.get("task.json"));
        String promptFile = task.path("promptFile").asText("prompt.txt");
        assertTrue(files.containsKey(promptFile), overlay + ": task.json names prompt file " + promptFile
                + ", missing from the task ConfigMap: " + files.keySet());
        // The shipped task is the built-in one: they must not drift apart.
        Path builtIn = Repository.root().resolve(BUILT_IN_TASK);
        assertEquals(Files.readString(builtIn.resolve("task.json")), files.get("task.json"),
                "k8s/base/task/task.json differs from the built-in " + BUILT_IN_TASK + "/task.json");
        assertEquals(Files.readString(builtIn.resolve(promptFile)), files.get(promptFile),
                "k8s/base/task/" + promptFile + " differs from the built-in " + BUILT_IN_TASK + "/" + promptFile);
    }

    /** Non-root, read-only root filesystem, no privilege escalation; writable scratch only where mounted. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndServices")
    void podsRunHardened(String overlay, DistilleryService service) {
        Manifests m = Manifests.of(overlay);
        Deployment deployment = m.deployment(service);
        String where = overlay + ": " + service.module();
        PodSecurityContext pod = Pods.spec(deployment).getSecurityContext();
        assertNotNull(pod, where + " pod securityContext");
        assertEquals(Boolean.TRUE, pod.getRunAsNonRoot(), where + " runAsNonRoot");
        assertEquals(Long.valueOf(185), pod.getRunAsUser(), where + " runAsUser must be the images' uid 185");
        assertEquals(Boolean.FALSE, Pods.spec(deployment).getAutomountServiceAccountToken(),
                where + " needs no Kubernetes API token");
        Container container = Pods.container(deployment);
        SecurityContext sc = container.getSecurityContext();
        assertNotNull(sc, where + " container securityContext");
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + " readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + " allowPrivilegeEscalation");
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where + " capabilities.drop");
        assertWritableScratch(deployment, container, "/tmp", where);

        Map<String, String> env = Pods.environment(m, deployment);
        if (service != DistilleryService.TEACHER) {
            // DJL unpacks its natives at start: it needs a writable cache and must never try to download.
            String cache = env.get("DJL_CACHE_DIR");
            assertNotNull(cache, where + " needs DJL_CACHE_DIR on a writable volume (read-only root)");
            assertWritableScratch(deployment, container, cache, where);
            assertEquals("true", env.get("DJL_OFFLINE"), where + " DJL_OFFLINE");
        }
        for (String kind : List.of("requests", "limits")) {
            var quantities = "requests".equals(kind) ? container.getResources().getRequests()
                    : container.getResources().getLimits();
            assertNotNull(quantities, where + " resources." + kind);
            assertTrue(quantities.containsKey("cpu") && quantities.containsKey("memory"),
                    where + " resources." + kind + " needs cpu and memory: " + quantities.keySet());
        }
    }

    private static void assertWritableScratch(Deployment deployment, Container container, String path, String where) {
        VolumeMount mount = Pods.mountAt(container, path)
                .orElseThrow(() -> new AssertionError(where + ": nothing writable mounted at " + path));
        assertFalse(Boolean.TRUE.equals(mount.getReadOnly()), where + ": " + path + " must be writable");
        assertNotNull(Pods.volume(deployment, mount.getName()).getEmptyDir(), where + ": " + path + " should be an emptyDir");
    }
}
