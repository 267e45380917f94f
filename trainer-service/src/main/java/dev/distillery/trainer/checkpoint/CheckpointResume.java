package dev.distillery.trainer.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.distillery.checkpoint.AdapterFiles;
import dev.distillery.checkpoint.CheckpointException;
import dev.distillery.checkpoint.CheckpointManifest;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.model.BaseModel;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;

/**
 * Where a (re)starting trainer begins: the newest stored checkpoint that fits this task, prompt and base
 * ({@link CheckpointManifest#mismatches}) and whose adapter verifies and loads; older ones are tried when a newer one
 * does not. Also loads a published checkpoint back for the held-out comparison.
 */
public record CheckpointResume(CheckpointStore store, TaskSpec task, BaseModel base, String device) {

    private static final Logger LOG = Logger.getLogger(CheckpointResume.class);

    /**
     * The model restored from the newest usable checkpoint, if any; {@code nextVersion} follows the newest stored
     * version whether it was usable or not, so no version number is written twice.
     */
    public Resumed resume() throws IOException {
        List<StoredCheckpoint> existing = store.list(task.name()).stream()
                .sorted(Comparator.comparingLong(StoredCheckpoint::version).reversed()).toList();
        long nextVersion = existing.isEmpty() ? 1 : existing.get(0).version() + 1;
        for (StoredCheckpoint candidate : existing) {
            Optional<CheckpointManifest.Mismatch> problem = candidate.manifest().mismatches(task.name(), task.labels(),
                    task.promptSha256(), base.sha256()).stream().findFirst();
            if (problem.isPresent()) {
                LOG.warnf("not resuming from v%d: %s", candidate.version(), problem.get().detail());
                continue;
            }
            try {
                StoredCheckpoint verified = store.open(candidate.directory(), null);
                return new Resumed(Optional.of(AdapterFiles.load(base, verified, device)), Optional.of(verified),
                        nextVersion);
            } catch (CheckpointException | RuntimeException e) {
                LOG.warnf("cannot resume from v%d (%s); trying an older one", candidate.version(), e.getMessage());
            }
        }
        return new Resumed(Optional.empty(), Optional.empty(), nextVersion);
    }

    /** A published checkpoint (by its announced uri), verified and loaded for predictions. */
    public StudentModel loadPublished(String uri, long version) {
        try {
            return AdapterFiles.load(base, store.open(Path.of(URI.create(uri)), null), device);
        } catch (CheckpointException e) {
            throw new IllegalStateException("cannot load checkpoint v" + version + " to compare with: "
                    + e.getMessage(), e);
        }
    }

    /** The restored model and its checkpoint (both empty: start fresh), and the version to write next. */
    public record Resumed(Optional<StudentModel> model, Optional<StoredCheckpoint> checkpoint, long nextVersion) {
    }
}
