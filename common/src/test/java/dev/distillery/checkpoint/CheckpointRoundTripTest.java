package dev.distillery.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.integrity.Sha256;
import dev.distillery.messages.MessageCodec;
import dev.distillery.model.BaseModel;
import dev.distillery.model.BertConfig;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.Prediction;
import dev.distillery.model.SafetensorsFile;
import dev.distillery.model.StudentModel;

class CheckpointRoundTripTest {

    private static final List<String> LABELS = List.of("ar", "de", "en", "ot");
    private static final List<String> TEXTS = List.of("the cat", "die Katze", "القطة", "42", "");
    private static StudentModel trained;

    @TempDir
    Path root;

    @BeforeAll
    static void train() {
        trained = StudentModel.create(BaseModel.tiny(), new LoraConfig(4, 8, 0.0, LoraConfig.ALL_LINEAR, true, true),
                LABELS, "cpu", 3);
        for (int i = 0; i < 4; i++) {
            trained.trainStep(List.of("the cat", "die Katze", "القطة", "42"),
                    new float[][] {{0, 0, 1, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 0.5f, 0.5f}}, 1e-2);
        }
    }

    private static CheckpointManifest manifest(long version, StudentModel model) {
        return new CheckpointManifest(1, version, "language-id", model.labels(), Sha256.hex("prompt"),
                model.base().id(), model.base().sha256(), model.lora(), Map.of("agreement", 0.9),
                Map.of("distill.labeled-0", 42L), null, 0, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aLoadedCheckpointGivesIdenticalOutputs() throws Exception {
        CheckpointStore store = new CheckpointStore(root, 3);
        StoredCheckpoint stored = store.write(manifest(1, trained), dir -> AdapterFiles.write(trained, dir));
        assertEquals(root.resolve("language-id").resolve("v00000001"), stored.directory());
        assertEquals(Sha256.hex(stored.directory().resolve(CheckpointManifest.ADAPTER_FILE)),
                stored.manifest().adapterSha256());
        assertEquals(Map.of("distill.labeled-0", 42L), stored.manifest().offsets());

        StoredCheckpoint opened = store.open(stored.directory(), stored.manifest().adapterSha256());
        assertEquals(stored.manifest(), opened.manifest());
        try (StudentModel loaded = AdapterFiles.load(BaseModel.tiny(), opened, "cpu")) {
            assertEquals(trained.labels(), loaded.labels());
            assertEquals(trained.lora(), loaded.lora());
            List<Prediction> expected = trained.predict(TEXTS);
            List<Prediction> actual = loaded.predict(TEXTS);
            assertEquals(expected, actual);
            // and it keeps training from there
            loaded.trainStep(List.of("the cat"), new float[][] {{0, 0, 1, 0}}, 1e-3);
        }
    }

    @Test
    void theAdapterFilesArePeftShaped() throws Exception {
        Path dir = Files.createDirectories(root.resolve("adapter"));
        AdapterFiles.write(trained, dir);
        JsonNode config = MessageCodec.mapper().readTree(dir.resolve("adapter_config.json").toFile());
        assertEquals("LORA", config.get("peft_type").asText());
        assertEquals(4, config.get("r").asInt());
        assertEquals(8.0, config.get("lora_alpha").asDouble());
        assertEquals("tiny", config.get("base_model_name_or_path").asText());
        assertEquals(6, config.get("target_modules").size());
        assertEquals("classifier", config.get("modules_to_save").get(0).asText());
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("adapter_model.safetensors"))) {
            List<String> names = file.names();
            assertEquals(names.stream().sorted().toList(), names);
            assertTrue(names.contains("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"));
            assertTrue(names.contains("base_model.model.bert.encoder.layer.0.output.dense.lora_B.weight"));
            assertTrue(names.contains("base_model.model.classifier.weight"));
            assertTrue(names.contains("base_model.model.bert.embeddings.word_embeddings.weight"));
            assertEquals("pt", file.metadata().get("format"));
            assertEquals(List.of(4L, 128L), java.util.Arrays.stream(
                    file.entries().get("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight").shape())
                    .boxed().toList());
        }
        // Same weights, same bytes.
        Path again = Files.createDirectories(root.resolve("again"));
        AdapterFiles.write(trained, again);
        assertEquals(Sha256.hex(dir.resolve("adapter_model.safetensors")),
                Sha256.hex(again.resolve("adapter_model.safetensors")));
    }

    @Test
    void aCorruptedAdapterIsDetected() throws Exception {
        CheckpointStore store = new CheckpointStore(root, 3);
        StoredCheckpoint stored = store.write(manifest(0, trained), dir -> AdapterFiles.write(trained, dir));
        Path adapter = stored.directory().resolve(CheckpointManifest.ADAPTER_FILE);
        byte[] bytes = Files.readAllBytes(adapter);
        bytes[bytes.length - 3] ^= 0x10; // one bit in the last tensor's data
        Files.write(adapter, bytes);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> store.open(stored.directory(), stored.manifest().adapterSha256()));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertThrows(CheckpointException.class, () -> AdapterFiles.load(BaseModel.tiny(), store.open(stored.directory(), null), "cpu"));
    }

    @Test
    void anExpectedShaThatDiffersIsRefused() throws Exception {
        CheckpointStore store = new CheckpointStore(root, 3);
        StoredCheckpoint stored = store.write(manifest(0, trained), dir -> AdapterFiles.write(trained, dir));
        assertThrows(CheckpointException.class, () -> store.open(stored.directory(), Sha256.hex("other")));
    }

    @Test
    void anAdapterForAnotherBaseIsRefused() throws Exception {
        CheckpointStore store = new CheckpointStore(root, 3);
        StoredCheckpoint stored = store.write(manifest(0, trained), dir -> AdapterFiles.write(trained, dir));
        try (BaseModel other = BaseModel.random("other", BertConfig.tiny(), 99)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> AdapterFiles.load(other, store.open(stored.directory(), null), "cpu"));
            assertTrue(e.getMessage().contains("base"), e.getMessage());
        }
    }

    @Test
    void theStoreKeepsTheLastVersionsAndFindsTheLatest() throws Exception {
        CheckpointStore store = new CheckpointStore(root, 2);
        assertTrue(store.latest("language-id").isEmpty());
        for (int i = 0; i < 4; i++) {
            StoredCheckpoint s = store.write(manifest(0, trained), dir -> AdapterFiles.write(trained, dir));
            assertEquals(i + 1, s.version());
        }
        assertEquals(List.of(3L, 4L), store.list("language-id").stream().map(StoredCheckpoint::version).toList());
        assertEquals(4, store.latest("language-id").orElseThrow().version());
        try (var files = Files.list(root.resolve("language-id"))) {
            assertEquals(2, files.count(), "no temporary or pruned directories left behind");
        }
        assertThrows(IOException.class, () -> store.write(manifest(4, trained), dir -> AdapterFiles.write(trained, dir)));
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws Exception {
        CheckpointStore store = new CheckpointStore(root, 2);
        assertThrows(IOException.class, () -> store.write(manifest(0, trained), dir -> {
            Files.writeString(dir.resolve("adapter_config.json"), "{}");
            throw new IOException("disk full");
        }));
        assertTrue(store.list("language-id").isEmpty());
        try (var files = Files.list(root.resolve("language-id"))) {
            assertFalse(files.findAny().isPresent());
        }
        assertThrows(IllegalArgumentException.class, () -> store.latest("../escape"));
    }
}
