package dev.distillery.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.messages.MessageCodec;
import dev.distillery.model.BaseModel;
import dev.distillery.model.BertConfig;
import dev.distillery.model.ByteLevelTokenizer;
import dev.distillery.model.FloatTensor;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.Prediction;
import dev.distillery.model.SafetensorsFile;
import dev.distillery.model.SafetensorsWriter;
import dev.distillery.model.StudentModel;

/**
 * The adapter files against what Hugging Face PEFT writes for the same model and config. The expected keys are those
 * of {@code get_peft_model_state_dict(get_peft_model(BertForSequenceClassification(config), LoraConfig(task_type=
 * "SEQ_CLS", r=4, target_modules=[query, key, value, attention.output.dense, intermediate.dense, output.dense],
 * modules_to_save=["word_embeddings"])))} for a 2-layer BERT, worked out from PEFT's save_and_load.py (LoRA keys with
 * the adapter name removed; each modules_to_save wrapper saved under its own module path) and written out here.
 */
class PeftLayoutTest {

    private static final List<String> LABELS = List.of("neg", "neu", "pos");
    private static final int VOCAB = ByteLevelTokenizer.VOCAB_SIZE;

    /** PEFT's keys for the 2-layer BertForSequenceClassification described above, in sorted order. */
    private static final List<String> EXPECTED_BERT_KEYS = List.of(
            "base_model.model.bert.embeddings.word_embeddings.weight",
            "base_model.model.bert.encoder.layer.0.attention.output.dense.lora_A.weight",
            "base_model.model.bert.encoder.layer.0.attention.output.dense.lora_B.weight",
            "base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight",
            "base_model.model.bert.encoder.layer.0.attention.self.key.lora_B.weight",
            "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
            "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight",
            "base_model.model.bert.encoder.layer.0.attention.self.value.lora_A.weight",
            "base_model.model.bert.encoder.layer.0.attention.self.value.lora_B.weight",
            "base_model.model.bert.encoder.layer.0.intermediate.dense.lora_A.weight",
            "base_model.model.bert.encoder.layer.0.intermediate.dense.lora_B.weight",
            "base_model.model.bert.encoder.layer.0.output.dense.lora_A.weight",
            "base_model.model.bert.encoder.layer.0.output.dense.lora_B.weight",
            "base_model.model.bert.encoder.layer.1.attention.output.dense.lora_A.weight",
            "base_model.model.bert.encoder.layer.1.attention.output.dense.lora_B.weight",
            "base_model.model.bert.encoder.layer.1.attention.self.key.lora_A.weight",
            "base_model.model.bert.encoder.layer.1.attention.self.key.lora_B.weight",
            "base_model.model.bert.encoder.layer.1.attention.self.query.lora_A.weight",
            "base_model.model.bert.encoder.layer.1.attention.self.query.lora_B.weight",
            "base_model.model.bert.encoder.layer.1.attention.self.value.lora_A.weight",
            "base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight",
            "base_model.model.bert.encoder.layer.1.intermediate.dense.lora_A.weight",
            "base_model.model.bert.encoder.layer.1.intermediate.dense.lora_B.weight",
            "base_model.model.bert.encoder.layer.1.output.dense.lora_A.weight",
            "base_model.model.bert.encoder.layer.1.output.dense.lora_B.weight",
            "base_model.model.classifier.bias",
            "base_model.model.classifier.weight");

    @TempDir
    Path dir;

    @Test
    void aBertAdapterHasPeftsKeysShapesAndConfig() throws Exception {
        String configured = dir.resolve("bases/my-bert").toString();
        try (BaseModel base = BaseModel.random(configured, config("bert"), 5);
                StudentModel student = StudentModel.create(base, lora(), LABELS, "cpu", 1)) {
            AdapterFiles.write(student, dir);
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(CheckpointManifest.ADAPTER_FILE))) {
                assertEquals(EXPECTED_BERT_KEYS, file.names());
                assertEquals(List.of(4L, 16L), shape(file, "base_model.model.bert.encoder.layer.0.attention.self.query"
                        + ".lora_A.weight"));
                assertEquals(List.of(32L, 4L), shape(file, "base_model.model.bert.encoder.layer.1.intermediate.dense"
                        + ".lora_B.weight"));
                assertEquals(List.of(4L, 32L), shape(file, "base_model.model.bert.encoder.layer.1.output.dense"
                        + ".lora_A.weight"));
                assertEquals(List.of(3L, 16L), shape(file, "base_model.model.classifier.weight"));
                assertEquals(List.of((long) VOCAB, 16L), shape(file, "base_model.model.bert.embeddings.word_embeddings.weight"));
            }
            JsonNode config = MessageCodec.mapper().readTree(dir.resolve(CheckpointManifest.ADAPTER_CONFIG_FILE)
                    .toFile());
            assertEquals("LORA", config.get("peft_type").asText());
            assertEquals("SEQ_CLS", config.get("task_type").asText());
            assertEquals(configured, config.get("base_model_name_or_path").asText());
            assertEquals(List.of("classifier", "word_embeddings"), strings(config.get("modules_to_save")));
            assertEquals(LoraConfig.ALL_LINEAR, strings(config.get("target_modules")));
            assertEquals("none", config.get("bias").asText());
            assertEquals(MessageCodec.mapper().readTree("{\"0\":\"neg\",\"1\":\"neu\",\"2\":\"pos\"}"),
                    config.get("id2label"));
            assertEquals(MessageCodec.mapper().readTree("{\"neg\":0,\"neu\":1,\"pos\":2}"), config.get("label2id"));
            assertEquals("mean", config.get("pooling").asText());
            assertFalse(config.get("token_evidence").asBoolean());
        }
    }

    /** The head's token-evidence table is saved with the head, flagged in the config, and loads back. */
    @Test
    void theTokenEvidenceTableIsSavedWithTheHeadAndLoadsBack() throws Exception {
        LoraConfig lora = new LoraConfig(4, 8, 0, LoraConfig.ALL_LINEAR, true, true);
        try (BaseModel base = BaseModel.random("b", config("bert"), 5);
                StudentModel student = StudentModel.create(base, lora, LABELS, "cpu", 1)) {
            student.trainStep(List.of("abc", "xyz"), new float[][] {{1, 0, 0}, {0, 0, 1}}, 1e-2);
            AdapterFiles.write(student, dir);
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(CheckpointManifest.ADAPTER_FILE))) {
                assertEquals(List.of((long) VOCAB, 3L),
                        shape(file, "base_model.model.classifier.token_evidence.weight"));
            }
            JsonNode config = MessageCodec.mapper().readTree(dir.resolve(CheckpointManifest.ADAPTER_CONFIG_FILE)
                    .toFile());
            assertTrue(config.get("token_evidence").asBoolean());
            try (StudentModel loaded = AdapterFiles.load(base, dir, "cpu")) {
                assertTrue(loaded.lora().tokenEvidence());
                assertEquals(student.predict(List.of("abc", "xyz")), loaded.predict(List.of("abc", "xyz")));
            }
        }
    }

    @Test
    void aRobertaAdapterSitsUnderRoberta() throws Exception {
        try (BaseModel base = BaseModel.random("xlmr", config("xlm-roberta"), 5);
                StudentModel student = StudentModel.create(base, lora(), LABELS, "cpu", 1)) {
            AdapterFiles.write(student, dir);
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(CheckpointManifest.ADAPTER_FILE))) {
                assertEquals(EXPECTED_BERT_KEYS.stream().map(k -> k.replace(".bert.", ".roberta.")).sorted().toList(),
                        file.names());
            }
        }
    }

    /** Adapters written before the encoder prefix ({@code base_model.model.encoder...}) still load. */
    @Test
    void adaptersWithoutTheEncoderPrefixStillLoad() throws Exception {
        try (BaseModel base = BaseModel.random("b", config("bert"), 5);
                StudentModel student = StudentModel.create(base, lora(), LABELS, "cpu", 1)) {
            student.trainStep(List.of("abc", "xyz"), new float[][] {{1, 0, 0}, {0, 0, 1}}, 1e-2);
            AdapterFiles.write(student, dir);
            Path adapter = dir.resolve(CheckpointManifest.ADAPTER_FILE);
            SortedMap<String, FloatTensor> legacy = new TreeMap<>();
            Map<String, String> metadata;
            try (SafetensorsFile file = SafetensorsFile.open(adapter)) {
                metadata = file.metadata();
                for (String name : file.names()) {
                    legacy.put(name.replace("base_model.model.bert.", "base_model.model."), file.read(name));
                }
            }
            SafetensorsWriter.write(adapter, legacy, metadata);
            try (StudentModel loaded = AdapterFiles.load(base, dir, "cpu")) {
                List<Prediction> expected = student.predict(List.of("abc", "xyz"));
                assertEquals(expected, loaded.predict(List.of("abc", "xyz")));
            }
        }
    }

    /** 2 layers, d 16, FFN 32; a random base reads the built-in tokenizer's ids, so its vocabulary is that size. */
    private static BertConfig config(String type) {
        return new BertConfig(type, VOCAB, 16, 2, 2, 32, 128, 0, 1e-12, ByteLevelTokenizer.PAD, 0);
    }

    private static LoraConfig lora() {
        return new LoraConfig(4, 8, 0, LoraConfig.ALL_LINEAR, true);
    }

    private static List<Long> shape(SafetensorsFile file, String name) {
        return Arrays.stream(file.entries().get(name).shape()).boxed().toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
