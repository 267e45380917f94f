package dev.distillery.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.distillery.integrity.Sha256;
import dev.distillery.messages.MessageCodec;

/**
 * Checkpoints on a filesystem directory (a shared volume on Kubernetes): {@code <root>/<task>/v<version>}.
 * Each version is written under a temporary name, fsynced and renamed atomically; the last N are kept.
 * A reader therefore sees a version directory either complete or not at all.
 */
public final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d{1,18})");
    private static final Pattern SAFE_TASK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String TEMP_PREFIX = ".tmp-";
    /** A temporary directory this old is left over from a crashed writer. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path root;
    private final int keepLast;

    public CheckpointStore(Path root, int keepLast) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.root = root;
        this.keepLast = keepLast;
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/<task>/v00000042}. */
    public Path directoryOf(String task, long version) {
        return taskDirectory(task).resolve(String.format("v%08d", version));
    }

    /**
     * Writes the files, computes the adapter sha256 and size into the manifest, renames into place.
     * A manifest version {@code <= 0} means "the next one" (latest + 1).
     */
    public synchronized StoredCheckpoint write(CheckpointManifest manifest, AdapterWriter writer) throws IOException {
        Path taskDir = taskDirectory(manifest.task());
        Files.createDirectories(taskDir);
        removeStaleTemporaries(taskDir);
        long version = manifest.version() > 0 ? manifest.version()
                : versions(taskDir).stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        Path target = directoryOf(manifest.task(), version);
        if (Files.exists(target)) {
            throw new IOException("checkpoint " + target + " already exists");
        }
        Path temp = taskDir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        Files.createDirectory(temp);
        try {
            writer.writeTo(temp);
            Path adapter = temp.resolve(CheckpointManifest.ADAPTER_FILE);
            if (!Files.isRegularFile(adapter)) {
                throw new IOException("the adapter writer produced no " + CheckpointManifest.ADAPTER_FILE);
            }
            CheckpointManifest complete = new CheckpointManifest(manifest.schema(), version, manifest.task(),
                    manifest.labels(), manifest.promptSha256(), manifest.baseModelId(), manifest.baseModelSha256(),
                    manifest.lora(), manifest.metrics(), manifest.offsets(), Sha256.hex(adapter),
                    Files.size(adapter), manifest.createdAt() != null ? manifest.createdAt() : Instant.now());
            Files.write(temp.resolve(CheckpointManifest.FILE),
                    MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(complete));
            try (Stream<Path> files = Files.list(temp)) {
                for (Path f : files.toList()) {
                    fsync(f, false);
                }
            }
            fsync(temp, true);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the checkpoint volume cannot rename atomically: " + root, e);
            }
            fsync(taskDir, true);
            prune(taskDir);
            return new StoredCheckpoint(version, target, complete);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temp);
            throw e;
        }
    }

    /** Newest complete version of a task, if any. */
    public Optional<StoredCheckpoint> latest(String task) throws IOException {
        List<StoredCheckpoint> all = list(task);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Complete versions of a task, oldest first; unreadable directories are skipped with a warning. */
    public List<StoredCheckpoint> list(String task) throws IOException {
        Path taskDir = taskDirectory(task);
        List<StoredCheckpoint> out = new ArrayList<>();
        for (long version : versions(taskDir)) {
            Path dir = directoryOf(task, version);
            try {
                out.add(new StoredCheckpoint(version, dir, readManifest(dir)));
            } catch (CheckpointException e) {
                LOG.warnf("skipping checkpoint %s: %s", dir, e.getMessage());
            }
        }
        return out;
    }

    /**
     * Opens a checkpoint directory (from an announcement's uri) and verifies its adapter's sha256 against both the
     * manifest and {@code expectedSha256} (when not null). The one place an adapter is hashed before loading: hand
     * what it returns to {@link AdapterFiles#load(dev.distillery.model.BaseModel, StoredCheckpoint, String)}.
     */
    public StoredCheckpoint open(Path directory, String expectedSha256) throws CheckpointException {
        CheckpointManifest manifest = readManifest(directory);
        Path adapter = directory.resolve(CheckpointManifest.ADAPTER_FILE);
        String actual;
        try {
            actual = Sha256.hex(adapter);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + adapter + ": " + e.getMessage(), e);
        }
        if (!actual.equals(manifest.adapterSha256())) {
            throw new CheckpointException(adapter + " has sha256 " + actual + " but its manifest says "
                    + manifest.adapterSha256() + ": corrupt or partially written");
        }
        if (expectedSha256 != null && !actual.equals(expectedSha256)) {
            throw new CheckpointException(adapter + " has sha256 " + actual + ", expected " + expectedSha256);
        }
        return new StoredCheckpoint(manifest.version(), directory, manifest);
    }

    /** Reads {@code distillery.json} without hashing the adapter. */
    public static CheckpointManifest readManifest(Path directory) throws CheckpointException {
        Path file = directory.resolve(CheckpointManifest.FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(directory + " has no " + CheckpointManifest.FILE);
        }
        CheckpointManifest manifest;
        try {
            manifest = MessageCodec.mapper().readValue(file.toFile(), CheckpointManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("unreadable " + file + ": " + e.getMessage(), e);
        }
        if (manifest.adapterSha256() == null) {
            throw new CheckpointException(file + " records no adapter sha256");
        }
        if (!Files.isRegularFile(directory.resolve(CheckpointManifest.ADAPTER_FILE))) {
            throw new CheckpointException(directory + " has no " + CheckpointManifest.ADAPTER_FILE);
        }
        return manifest;
    }

    /** Writes the model files into a (temporary) checkpoint directory. */
    @FunctionalInterface
    public interface AdapterWriter {
        void writeTo(Path directory) throws IOException;
    }

    private Path taskDirectory(String task) {
        if (task == null || !SAFE_TASK.matcher(task).matches()) {
            throw new IllegalArgumentException("task name unusable as a directory: " + task);
        }
        return root.resolve(task);
    }

    private static List<Long> versions(Path taskDir) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(taskDir)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(taskDir, Files::isDirectory)) {
            for (Path d : dirs) {
                Matcher m = VERSION_DIR.matcher(d.getFileName().toString());
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private void prune(Path taskDir) throws IOException {
        List<Long> all = versions(taskDir);
        for (int i = 0; i < all.size() - keepLast; i++) {
            Path old = taskDir.resolve(String.format("v%08d", all.get(i)));
            // Rename first so that a reader never sees a half-deleted version directory.
            Path doomed = taskDir.resolve(TEMP_PREFIX + "deleted-" + old.getFileName() + "-" + UUID.randomUUID());
            try {
                Files.move(old, doomed, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(doomed);
            } catch (IOException e) {
                LOG.warnf("could not remove old checkpoint %s: %s", old, e.getMessage());
            }
        }
    }

    private static void removeStaleTemporaries(Path taskDir) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(taskDir, TEMP_PREFIX + "*")) {
            for (Path d : dirs) {
                if (Files.getLastModifiedTime(d).toInstant().isBefore(cutoff)) {
                    deleteRecursively(d);
                }
            }
        }
    }

    private static void fsync(Path path, boolean directory) throws IOException {
        try (FileChannel ch = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // Some filesystems refuse to open directories for fsync; the rename is still atomic there.
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
