package dev.distillery.student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh, empty checkpoint store per test application, shared by the service and the tests
 * that write to it (they read its path from the configuration). */
public class CheckpointDirResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(Path.of("target"));
            Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "checkpoints-");
            return Map.of("distillery.checkpoints.dir", root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
