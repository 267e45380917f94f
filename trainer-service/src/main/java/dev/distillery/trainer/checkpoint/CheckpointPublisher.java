package dev.distillery.trainer.checkpoint;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.distillery.checkpoint.AdapterFiles;
import dev.distillery.checkpoint.CheckpointManifest;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Schema;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;

/**
 * Writes a checkpoint through the store (files fsynced and renamed into place first) and only then announces it on
 * {@code distill.checkpoints}, keyed by task so the compacted topic keeps the newest announcement per task.
 */
public final class CheckpointPublisher implements AutoCloseable {

    private final CheckpointStore store;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final TaskSpec task;

    public CheckpointPublisher(CheckpointStore store, Producer<String, byte[]> producer, String topic, TaskSpec task) {
        this.store = store;
        this.producer = producer;
        this.topic = topic;
        this.task = task;
    }

    /** Writes version {@code version} of the model with its metrics and the offsets it covers. */
    public StoredCheckpoint write(long version, StudentModel model, Map<String, Double> metrics,
            Map<String, Long> offsets) throws IOException {
        CheckpointManifest manifest = new CheckpointManifest(Schema.VERSION, version, task.name(), model.labels(),
                task.promptSha256(), model.base().id(), model.base().sha256(), model.lora(), metrics, offsets, null, 0,
                Instant.now());
        return store.write(manifest, dir -> AdapterFiles.write(model, dir));
    }

    /** Announces a written checkpoint and waits for the broker's acknowledgement. */
    public CheckpointAnnouncement announce(StoredCheckpoint checkpoint) throws IOException {
        CheckpointManifest m = checkpoint.manifest();
        CheckpointAnnouncement announcement = new CheckpointAnnouncement(Schema.VERSION, checkpoint.version(),
                checkpoint.directory().toAbsolutePath().toUri().toString(), m.adapterSha256(), m.adapterSizeBytes(),
                new CheckpointAnnouncement.BaseModel(m.baseModelId(), m.baseModelSha256()), m.task(), m.promptSha256(),
                m.labels(), m.metrics(), m.createdAt());
        try {
            producer.send(new ProducerRecord<>(topic, m.task(), MessageCodec.encode(announcement)))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while announcing checkpoint v" + checkpoint.version(), e);
        } catch (Exception e) {
            throw new IOException("cannot announce checkpoint v" + checkpoint.version() + " on " + topic, e);
        }
        return announcement;
    }

    public CheckpointStore store() {
        return store;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
