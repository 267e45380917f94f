package dev.distillery.demo.process;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the packaged services when one is missing. The launcher does it after parsing its arguments, not the
 * {@code ./distillery} script before, so that a mistyped option fails at once instead of after minutes of build.
 */
public final class ServiceBuild {

    private ServiceBuild() {
    }

    /** Runs {@code ./mvnw -B -q package -DskipTests} in {@code repoRoot} when a service jar is missing. */
    public static void ensureBuilt(Path repoRoot, PrintStream out) throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        for (ServiceProcess.Kind kind : ServiceProcess.Kind.values()) {
            if (!Files.isRegularFile(kind.jar(repoRoot))) {
                missing.add(kind.module);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        out.println("building: " + String.join(" ", missing)
                + " (./mvnw -B -q package -DskipTests; the first build downloads dependencies) ...");
        out.flush();
        Process build = new ProcessBuilder(repoRoot.resolve("mvnw").toString(), "-B", "-q", "package", "-DskipTests")
                .directory(repoRoot.toFile()).inheritIO().start();
        int rc = build.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("the build failed (./mvnw -B -q package -DskipTests, exit " + rc + ")");
        }
    }
}
