package dev.distillery.demo.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** {@code .demo/run-<timestamp>/} in the repository (git-ignored): the logs of one run, kept after it ends. */
public final class RunDirectory {

    private RunDirectory() {
    }

    public static Path create(Path repoRoot) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = repoRoot.resolve(".demo");
        Path dir = base.resolve("run-" + stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = base.resolve("run-" + stamp + "-" + i);
        }
        Files.createDirectories(dir);
        // The ./distillery script names the file it reads after the launcher ends (to stop anything left over).
        String scriptPidFile = System.getenv("DISTILLERY_PID_FILE");
        PidFile.use(scriptPidFile != null && !scriptPidFile.isBlank() ? Path.of(scriptPidFile) : dir.resolve("pids"));
        return dir.toAbsolutePath();
    }
}
