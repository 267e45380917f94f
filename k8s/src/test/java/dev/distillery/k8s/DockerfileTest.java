package dev.distillery.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The images the manifests name: built from the Quarkus fast-jar, non-root, exposing the service's port. */
class DockerfileTest {

    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)");
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");

    @ParameterizedTest
    @EnumSource(DistilleryService.class)
    void jvmImageRunsTheFastJarAsNonRootOnTheServicePort(DistilleryService service) throws IOException {
        for (String name : dockerfiles(service)) {
            Path file = Repository.module(service.module()).resolve("src/main/docker").resolve(name);
            assertTrue(Files.isRegularFile(file), "missing " + Repository.root().relativize(file));
            String text = Files.readString(file);
            String where = service.module() + "/src/main/docker/" + name;
            Matcher from = FROM.matcher(text);
            assertTrue(from.find(), where + ": no FROM");
            String base = from.group(1);
            assertFalse(namesRegistryHost(base), where + ": base image " + base + " names a registry host");
            assertTrue(text.contains("target/quarkus-app/lib/") && text.contains("quarkus-run.jar"),
                    where + ": should run the Quarkus fast-jar (target/quarkus-app)");
            Matcher expose = EXPOSE.matcher(text);
            assertTrue(expose.find(), where + ": no EXPOSE");
            int port = Integer.parseInt(ServiceProperties.of(service).value("quarkus.http.port", Map.of())
                    .orElse(String.valueOf(service.conventionPort())));
            assertEquals(port, Integer.parseInt(expose.group(1)), where + ": EXPOSE vs quarkus.http.port");
            assertNonRoot(text, where);
        }
    }

    @Test
    void teacherHasANativeImage() throws IOException {
        Path file = Repository.module("teacher-service").resolve("src/main/docker/Dockerfile.native");
        assertTrue(Files.isRegularFile(file), "missing teacher-service/src/main/docker/Dockerfile.native");
        String text = Files.readString(file);
        assertTrue(text.contains("-runner"), "Dockerfile.native should copy the native runner");
        assertNonRoot(text, "teacher-service/src/main/docker/Dockerfile.native");
    }

    private static void assertNonRoot(String text, String where) {
        Matcher user = USER.matcher(text);
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        assertEquals("185", last, where + ": the image must end as uid 185 (the Deployments' runAsUser)");
    }

    /** docker's rule: a first path segment with '.' or ':' (or "localhost") is a registry host. */
    static boolean namesRegistryHost(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    @Test
    void registryHostRule() {
        assertFalse(namesRegistryHost("eclipse-temurin:25.0.1_8-jre-noble"));
        assertFalse(namesRegistryHost("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04"));
        assertTrue(namesRegistryHost("mirror.local/team/image:1"));
        assertTrue(namesRegistryHost("localhost:5000/image"));
    }

    private static List<String> dockerfiles(DistilleryService service) {
        return service == DistilleryService.TRAINER ? List.of("Dockerfile.jvm", "Dockerfile.jvm-cuda") : List.of("Dockerfile.jvm");
    }
}
