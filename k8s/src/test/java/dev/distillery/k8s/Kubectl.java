package dev.distillery.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders kustomizations with the real {@code kubectl kustomize}, the tool users apply them with. Where kubectl is
 * not installed the calling test is skipped (reported as skipped, with the reason), never passed.
 */
final class Kubectl {

    private static final Optional<Path> EXECUTABLE = locate();

    private Kubectl() {
    }

    /** The rendered multi-document YAML of a kustomization directory; skips the test when kubectl is absent. */
    static String kustomize(Path directory) {
        assumeTrue(EXECUTABLE.isPresent(),
                "kubectl not found ($KUBECTL names no executable, or kubectl is not on the PATH): the kustomize overlays cannot be rendered, so the "
                        + "manifest tests are SKIPPED, not passed. Install kubectl (1.27+, kustomize built in) to run them.");
        try {
            Path stderr = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(EXECUTABLE.get().toString(), "kustomize", directory.toString())
                    .redirectError(stderr.toFile())
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + directory + " did not finish within 60 s");
            }
            String errors = Files.readString(stderr);
            Files.deleteIfExists(stderr);
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed (exit " + process.exitValue()
                        + "):\n" + errors);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl kustomize " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + directory, e);
        }
    }

    private static Optional<Path> locate() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && !explicit.isBlank()) {
            // An explicit choice wins; one that names no executable means "no kubectl", not "any kubectl".
            Path chosen = Path.of(explicit);
            return Files.isRegularFile(chosen) && Files.isExecutable(chosen) ? Optional.of(chosen) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : List.of(path.split(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
