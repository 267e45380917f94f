package dev.distillery.student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.distillery.checkpoint.AdapterFiles;
import dev.distillery.checkpoint.CheckpointManifest;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.kafka.Topics;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Schema;
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import dev.distillery.testing.KafkaBrokerResource;

/**
 * Real checkpoints the way the trainer makes them: one {@link StudentModel} on the tiny base, a few optimizer steps
 * per version, {@link CheckpointStore#write} into the store the service reads, and an announcement on the real
 * broker. Versions count up across the test classes sharing one application.
 */
final class TrainedCheckpoints {

    static final TaskSpec TASK = TaskSpec.languageId();

    /** Small hand-written sample, enough for the loss to move; accuracy does not matter here. */
    private static final List<String[]> SAMPLE = List.of(
            new String[] {"The weather is lovely today.", "en"},
            new String[] {"Where is the train station?", "en"},
            new String[] {"Das Wetter ist heute schön.", "de"},
            new String[] {"Wo ist der Bahnhof?", "de"},
            new String[] {"Il fait beau aujourd'hui.", "fr"},
            new String[] {"Où est la gare ?", "fr"},
            new String[] {"Hace buen tiempo hoy.", "es"},
            new String[] {"¿Dónde está la estación?", "es"},
            new String[] {"Сегодня хорошая погода.", "ru"},
            new String[] {"Где вокзал?", "ru"},
            new String[] {"今天天气很好。", "zh"},
            new String[] {"火车站在哪里？", "zh"},
            new String[] {"الطقس جميل اليوم.", "ar"},
            new String[] {"Ο καιρός είναι ωραίος σήμερα.", "el"},
            new String[] {"आज मौसम अच्छा है।", "hi"},
            new String[] {"Bugün hava çok güzel.", "tr"},
            new String[] {"آج موسم اچھا ہے۔", "ur"},
            new String[] {"Hôm nay thời tiết đẹp.", "vi"},
            new String[] {"12345 67890", "ot"},
            new String[] {"print('hello')", "ot"});

    private static StudentModel model;

    private TrainedCheckpoints() {
    }

    /** One past the newest version in the store the service reads. */
    static synchronized long nextVersion() {
        try {
            return store().list(TASK.name()).stream().mapToLong(StoredCheckpoint::version).max().orElse(0) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized StudentModel model() {
        if (model == null) {
            model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), TASK.labels(), "cpu", 42);
        }
        return model;
    }

    static CheckpointStore store() {
        return new CheckpointStore(Path.of(ConfigProvider.getConfig().getValue("distillery.checkpoints.dir", String.class)),
                1000);
    }

    /** Trains a few more steps and writes the next version; not announced yet. */
    static synchronized StoredCheckpoint writeNext() {
        return writeNext(Map.of());
    }

    /** The same, with these metrics in the manifest besides the loss (e.g. a cascade threshold). */
    static synchronized StoredCheckpoint writeNext(Map<String, Double> extraMetrics) {
        StudentModel student = model();
        double loss = 0;
        for (int step = 0; step < 2; step++) {
            List<String> texts = new ArrayList<>();
            float[][] targets = new float[SAMPLE.size()][TASK.labels().size()];
            for (int i = 0; i < SAMPLE.size(); i++) {
                texts.add(SAMPLE.get(i)[0]);
                targets[i][TASK.labelIndex(SAMPLE.get(i)[1])] = 1f;
            }
            loss = student.trainStep(texts, targets, 5e-3);
        }
        long version = nextVersion();
        Map<String, Double> metrics = new java.util.HashMap<>(extraMetrics);
        metrics.put("loss", loss);
        return write(version, student.base().id(), student.base().sha256(), metrics);
    }

    /** A checkpoint whose manifest claims another base model (same adapter shapes, so only the claim differs). */
    static synchronized StoredCheckpoint writeForOtherBase() {
        long version = nextVersion();
        return write(version, "other-base", "0".repeat(64), Map.of("loss", 1.0));
    }

    private static StoredCheckpoint write(long version, String baseId, String baseSha256, Map<String, Double> metrics) {
        CheckpointManifest manifest = new CheckpointManifest(1, version, TASK.name(), TASK.labels(), TASK.promptSha256(),
                baseId, baseSha256, model().lora(), metrics, Map.of("distill.labeled-0", version * 10), null, 0,
                Instant.now());
        try {
            return store().write(manifest, dir -> AdapterFiles.write(model(), dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips bytes in the middle of the adapter file after it was written: its sha256 no longer matches. */
    static void corrupt(StoredCheckpoint checkpoint) {
        Path adapter = checkpoint.directory().resolve(CheckpointManifest.ADAPTER_FILE);
        try {
            byte[] bytes = Files.readAllBytes(adapter);
            for (int i = bytes.length / 2; i < bytes.length / 2 + 16 && i < bytes.length; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            Files.write(adapter, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CheckpointAnnouncement announcementOf(StoredCheckpoint checkpoint) {
        CheckpointManifest m = checkpoint.manifest();
        return new CheckpointAnnouncement(Schema.VERSION, checkpoint.version(), checkpoint.directory().toUri().toString(),
                m.adapterSha256(), m.adapterSizeBytes(), new CheckpointAnnouncement.BaseModel(m.baseModelId(),
                        m.baseModelSha256()),
                m.task(), m.promptSha256(), m.labels(), m.metrics(), m.createdAt());
    }

    static void announce(CheckpointAnnouncement announcement) {
        KafkaBrokerResource.kafka().send(Topics.CHECKPOINTS, announcement.task(), MessageCodec.encode(announcement));
    }

    static StoredCheckpoint writeAndAnnounceNext() {
        StoredCheckpoint checkpoint = writeNext();
        announce(announcementOf(checkpoint));
        return checkpoint;
    }
}
