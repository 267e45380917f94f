package dev.distillery.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh checkpoint directory per test run, so no checkpoint of an earlier run is resumed from. */
public class TempCheckpointsResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Path dir;

    public static Path dir() {
        return dir;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            dir = Files.createTempDirectory(target, "checkpoints-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("distillery.checkpoints.dir", dir.toAbsolutePath().toString());
    }

    @Override
    public void stop() {
    }
}
