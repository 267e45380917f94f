package dev.distillery.demo.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The pids of the live children, written to a file the {@code ./distillery} script reads when the launcher JVM
 * itself was killed (SIGKILL runs no shutdown hook): the script then stops what is left.
 */
public final class PidFile {

    private static Path file;
    private static final Set<Long> PIDS = new LinkedHashSet<>();
    private static final Set<String> TEMP_DIRS = new LinkedHashSet<>();

    private PidFile() {
    }

    static synchronized void use(Path path) {
        file = path;
        write();
    }

    static synchronized void record(long pid) {
        PIDS.add(pid);
        write();
    }

    static synchronized void forget(long pid) {
        PIDS.remove(pid);
        write();
    }

    /** A temporary directory the script deletes if the launcher could not. */
    static synchronized void recordTempDir(java.nio.file.Path dir) {
        TEMP_DIRS.add(dir.toAbsolutePath().toString());
        write();
    }

    static synchronized void forgetTempDir(java.nio.file.Path dir) {
        TEMP_DIRS.remove(dir.toAbsolutePath().toString());
        write();
    }

    private static void write() {
        if (file == null) {
            return;
        }
        try {
            StringBuilder text = new StringBuilder();
            PIDS.forEach(pid -> text.append(pid).append('\n'));
            TEMP_DIRS.forEach(dir -> text.append("tmp ").append(dir).append('\n'));
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // best effort: the shutdown hook is the main cleanup path
        }
    }
}
