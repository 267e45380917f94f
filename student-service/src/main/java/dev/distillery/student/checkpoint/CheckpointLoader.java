package dev.distillery.student.checkpoint;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.distillery.checkpoint.AdapterFiles;
import dev.distillery.checkpoint.CheckpointException;
import dev.distillery.checkpoint.CheckpointManifest;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.Schema;
import dev.distillery.model.BaseModel;
import dev.distillery.model.Prediction;
import dev.distillery.model.StudentModel;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.student.serving.ServedModel;
import dev.distillery.student.serving.StudentSetup;
import dev.distillery.task.TaskSpec;

/**
 * Turns an announcement into a model ready to serve, or refuses it: the announcement and the manifest must match this
 * student's task, labels and base model (sha256), the adapter file must match its sha256, the model must load, and a
 * warm-up forward pass must give finite probabilities. Nothing is served before all of that passed.
 */
@ApplicationScoped
public class CheckpointLoader {

    private static final Logger LOG = Logger.getLogger(CheckpointLoader.class);
    private static final List<String> WARM_UP = List.of("Warm-up text for a freshly loaded checkpoint.");

    private static final Map<CheckpointManifest.Mismatch.Field, String> REASONS = Map.of(
            CheckpointManifest.Mismatch.Field.TASK, "task-mismatch",
            CheckpointManifest.Mismatch.Field.LABELS, "labels-mismatch",
            CheckpointManifest.Mismatch.Field.BASE, "base-mismatch");

    private final StudentSetup setup;
    private final CheckpointStore store;
    private final Path storeRoot;

    public CheckpointLoader(StudentSetup setup, StudentConfig config) {
        this.setup = setup;
        this.storeRoot = Path.of(config.checkpoints().dir());
        // The student only reads; keepLast only matters to writers.
        this.store = new CheckpointStore(storeRoot, Integer.MAX_VALUE);
    }

    public ServedModel load(CheckpointAnnouncement announcement) throws CheckpointRefusedException {
        TaskSpec task = setup.task();
        BaseModel base = setup.base();
        long version = announcement.version();
        if (announcement.schema() > Schema.VERSION) {
            throw new CheckpointRefusedException("unsupported-schema",
                    "announcement schema " + announcement.schema() + " is newer than " + Schema.VERSION);
        }
        if (!task.name().equals(announcement.task())) {
            throw new CheckpointRefusedException("task-mismatch",
                    "checkpoint is for task " + announcement.task() + ", this student serves " + task.name());
        }
        if (announcement.baseModel() == null || !base.sha256().equals(announcement.baseModel().sha256())) {
            throw new CheckpointRefusedException("base-mismatch", "checkpoint v" + version + " was trained on base "
                    + (announcement.baseModel() == null ? "(none)" : announcement.baseModel().id() + " sha256 "
                            + announcement.baseModel().sha256())
                    + ", this student's base is " + base.id() + " sha256 " + base.sha256());
        }
        if (!task.labels().equals(announcement.labels())) {
            throw new CheckpointRefusedException("labels-mismatch",
                    "checkpoint labels " + announcement.labels() + " differ from the task's " + task.labels());
        }
        if (announcement.sha256() == null || announcement.sha256().isBlank()) {
            throw new CheckpointRefusedException("sha256-missing", "announcement v" + version + " carries no sha256");
        }
        Path directory = resolve(announcement);
        StoredCheckpoint stored;
        try {
            stored = store.open(directory, announcement.sha256());
        } catch (CheckpointException | RuntimeException e) {
            throw new CheckpointRefusedException("verification-failed",
                    "checkpoint v" + version + " at " + directory + " failed verification: " + e.getMessage(), e);
        }
        checkManifest(stored.manifest(), announcement);
        StudentModel model;
        try {
            model = AdapterFiles.load(base, stored, setup.device());
        } catch (CheckpointException | RuntimeException e) {
            throw new CheckpointRefusedException("load-failed",
                    "checkpoint v" + version + " could not be loaded: " + e.getMessage(), e);
        }
        try {
            warmUp(model, version);
        } catch (CheckpointRefusedException | RuntimeException e) {
            model.close();
            if (e instanceof CheckpointRefusedException refused) {
                throw refused;
            }
            throw new CheckpointRefusedException("warm-up-failed",
                    "checkpoint v" + version + " failed its warm-up forward pass: " + e.getMessage(), e);
        }
        return new ServedModel(model, version, announcement.sha256(),
                announcement.metrics().isEmpty() ? stored.manifest().metrics() : announcement.metrics(), Instant.now());
    }

    /** The untrained base with a fresh label head, served before the first checkpoint when configured. */
    public ServedModel untrainedBase(long seed) {
        StudentModel model = StudentModel.create(setup.base(), dev.distillery.model.LoraConfig.defaultsFor(setup.base()),
                setup.task().labels(), setup.device(), seed);
        try {
            warmUp(model, 0);
        } catch (CheckpointRefusedException e) {
            model.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        return new ServedModel(model, null, null, Map.of(), Instant.now());
    }

    private void checkManifest(CheckpointManifest manifest, CheckpointAnnouncement announcement)
            throws CheckpointRefusedException {
        long version = announcement.version();
        if (manifest.version() != version) {
            throw new CheckpointRefusedException("version-mismatch",
                    "announcement says v" + version + ", the manifest says v" + manifest.version());
        }
        List<CheckpointManifest.Mismatch> mismatches = manifest.mismatches(setup.task().name(), setup.task().labels(),
                setup.task().promptSha256(), setup.base().sha256());
        for (CheckpointManifest.Mismatch m : mismatches) {
            if (m.field() != CheckpointManifest.Mismatch.Field.PROMPT) {
                throw new CheckpointRefusedException(REASONS.get(m.field()), "manifest of v" + version + ": "
                        + m.detail());
            }
        }
        // The adapter still fits task, labels and base; a prompt edit only changes how the teacher labelled.
        mismatches.forEach(m -> LOG.warnf("checkpoint v%d: %s", version, m.detail()));
    }

    private void warmUp(StudentModel model, long version) throws CheckpointRefusedException {
        List<Prediction> out = model.predict(WARM_UP);
        int labels = setup.task().labels().size();
        if (out.size() != 1 || out.get(0).probabilities().size() != labels
                || out.get(0).probabilities().stream().anyMatch(p -> !Double.isFinite(p))) {
            throw new CheckpointRefusedException("warm-up-failed",
                    "checkpoint v" + version + " gave no finite probabilities over " + labels + " labels: " + out);
        }
    }

    /**
     * The announced directory when it exists here, else the same version under this student's store root (the volume
     * may be mounted elsewhere than on the trainer).
     */
    Path resolve(CheckpointAnnouncement announcement) throws CheckpointRefusedException {
        Path announced;
        try {
            URI uri = URI.create(announcement.uri());
            announced = uri.getScheme() == null ? Path.of(announcement.uri()) : Path.of(uri);
        } catch (RuntimeException e) {
            throw new CheckpointRefusedException("bad-uri",
                    "checkpoint v" + announcement.version() + " has an unusable uri: " + announcement.uri(), e);
        }
        if (Files.isDirectory(announced)) {
            return announced;
        }
        Path name = announced.getFileName();
        Path local = name == null ? null : storeRoot.resolve(setup.task().name()).resolve(name.toString());
        if (local != null && Files.isDirectory(local)) {
            return local;
        }
        throw new CheckpointRefusedException("not-found", "checkpoint v" + announcement.version() + " is neither at "
                + announced + " nor at " + local);
    }
}
