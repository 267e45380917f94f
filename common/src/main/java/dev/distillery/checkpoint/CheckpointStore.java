package dev.distillery.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints on a filesystem directory (a shared volume on Kubernetes): {@code <root>/<task>/v<version>}.
 * Each version is written under a temporary name, fsynced and renamed atomically; the last N are kept.
 *
 * API CONTRACT (skeleton): implemented by the student-model work; signatures are what the services code against.
 */
public final class CheckpointStore {

    public CheckpointStore(Path root, int keepLast) {
    }

    /** Writes the files, computes the adapter sha256 and size into the manifest, renames into place. */
    public StoredCheckpoint write(CheckpointManifest manifest, AdapterWriter writer) throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Newest complete version of a task, if any. */
    public Optional<StoredCheckpoint> latest(String task) throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    public List<StoredCheckpoint> list(String task) throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Opens a checkpoint directory (from an announcement's uri) and verifies its adapter's sha256 against both the
     * manifest and {@code expectedSha256}.
     */
    public StoredCheckpoint open(Path directory, String expectedSha256) throws CheckpointException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Writes the model files into a (temporary) checkpoint directory. */
    @FunctionalInterface
    public interface AdapterWriter {
        void writeTo(Path directory) throws IOException;
    }
}
