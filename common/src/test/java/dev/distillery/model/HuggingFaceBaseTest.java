package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.checkpoint.AdapterFiles;
import dev.distillery.checkpoint.CheckpointException;
import dev.distillery.messages.MessageCodec;

/**
 * A small BERT directory in Hugging Face layout, written by the test: config.json, model.safetensors in BF16 with
 * {@code bert.} names (plus a pooler and the int64 position_ids buffer, as real checkpoints carry) and a WordPiece
 * tokenizer.json. The student's forward pass is checked against a plain-Java BERT written from the paper.
 */
class HuggingFaceBaseTest {

    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world",
            "the", "cat", "##s", "un", "##believ", "##able", ".", "die", "katze", "ist", "schön", "le", "chat");
    private static final int D = 32;
    private static final int LAYERS = 2;
    private static final int HEADS = 4;
    private static final int INTER = 64;
    private static final int POSITIONS = 40;

    @TempDir
    Path dir;

    @Test
    void loadsWidensBf16AndComputesBertExactly() throws Exception {
        Map<String, FloatTensor> weights = writeBertDirectory(dir, 7);
        try (BaseModel base = BaseModel.load(dir)) {
            assertEquals(dir.toString(), base.id());
            assertEquals(POSITIONS, base.maxLength());
            assertEquals(64, base.sha256().length());
            assertArrayEquals(new long[] {2, 5, 8, 9, 3}, base.tokenizer().encode("Hello cats", 64));
            assertEquals(5, base.countTokens("Hello cats"));
            assertEquals(5, base.countTokens("unbelievable")); // [CLS] un ##believ ##able [SEP]
            assertArrayEquals(new long[] {2, 5, 3}, base.tokenizer().encode("hello world the cat", 3));
            // BF16 widened exactly: the stored value is the top half of the F32 bits.
            FloatTensor q = weights.get("encoder.layer.1.attention.self.query.weight");
            assertArrayEquals(q.data(), base.weights().get("encoder.layer.1.attention.self.query.weight")
                    .toFloatArray());

            List<String> labels = List.of("de", "en", "fr");
            try (StudentModel student = StudentModel.create(base, LoraConfig.defaultsFor(base), labels, "cpu", 3)) {
                assertTrue(student.lora().trainEmbeddings()); // a 20-token vocabulary is small enough to train
                String text = "Hello cats, die Katze ist schön";
                Prediction p = student.predict(List.of(text)).get(0);
                Map<String, float[]> head = student.trainableSnapshot();
                double[] expected = referenceProbabilities(weights, base.tokenizer().encode(text, 64),
                        head.get("classifier.weight"), head.get("classifier.bias"), labels.size());
                for (int i = 0; i < labels.size(); i++) {
                    assertEquals(expected[i], p.probabilities().get(i), 1e-4, "label " + labels.get(i));
                }
                assertEquals(base.tokenizer().encode(text, 64).length, p.tokens());

                // Batched with padding gives the same answer as alone.
                List<Prediction> batch = student.predict(List.of("hello", text, "le chat"));
                for (int i = 0; i < labels.size(); i++) {
                    assertEquals(p.probabilities().get(i), batch.get(1).probabilities().get(i), 1e-5);
                }

                double first = student.trainStep(List.of("die katze", "the cat", "le chat"),
                        new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1e-2);
                double later = first;
                for (int i = 0; i < 20; i++) {
                    later = student.trainStep(List.of("die katze", "the cat", "le chat"),
                            new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1e-2);
                }
                assertTrue(later < first, "loss " + first + " -> " + later);

                Path adapter = Files.createDirectories(dir.resolve("adapter"));
                AdapterFiles.write(student, adapter);
                try (StudentModel loaded = AdapterFiles.load(base, adapter, "cpu")) {
                    assertEquals(student.predict(List.of(text)), loaded.predict(List.of(text)));
                }
                // The same adapter does not fit the tiny base.
                assertThrows(CheckpointException.class, () -> AdapterFiles.load(BaseModel.tiny(), adapter, "cpu"));
            }
        }
    }

    @Test
    void aDirectoryMissingATensorIsRefused() throws Exception {
        writeBertDirectory(dir, 1);
        Map<String, FloatTensor> partial = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            for (String n : f.names()) {
                if (!n.contains("layer.1.output.dense") && f.isFloat(n)) {
                    partial.put(n, f.read(n));
                }
            }
        }
        writeSafetensors(dir.resolve("model.safetensors"), partial, Map.of());
        IOException e = assertThrows(IOException.class, () -> BaseModel.load(dir));
        assertTrue(e.getMessage().contains("encoder.layer.1.output.dense"), e.getMessage());
        Files.delete(dir.resolve("tokenizer.json"));
        assertThrows(IOException.class, () -> BaseModel.load(dir));
    }

    @Test
    void differentWeightsGiveADifferentSha() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        writeBertDirectory(a, 1);
        writeBertDirectory(b, 2);
        try (BaseModel ba = BaseModel.load(a); BaseModel bb = BaseModel.load(b)) {
            assertNotEquals(ba.sha256(), bb.sha256());
        }
    }

    // ---- the directory ----

    /** Writes the directory and returns the weights (BF16-rounded, canonical names) as the engine must see them. */
    static Map<String, FloatTensor> writeBertDirectory(Path dir, long seed) throws IOException {
        ObjectNode config = MessageCodec.mapper().createObjectNode();
        config.put("model_type", "bert").put("vocab_size", VOCAB.size()).put("hidden_size", D)
                .put("num_hidden_layers", LAYERS).put("num_attention_heads", HEADS).put("intermediate_size", INTER)
                .put("max_position_embeddings", POSITIONS).put("type_vocab_size", 2).put("layer_norm_eps", 1e-12)
                .put("pad_token_id", 0).put("hidden_act", "gelu").putArray("architectures").add("BertModel");
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());

        SplittableRandom random = new SplittableRandom(seed);
        BertConfig c = BertConfig.read(dir.resolve("config.json"));
        Map<String, FloatTensor> canonical = new LinkedHashMap<>();
        Map<String, FloatTensor> stored = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : BaseModel.expectedShapes(c).entrySet()) {
            float[] data = new float[(int) java.util.Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y)];
            for (int i = 0; i < data.length; i++) {
                double v = e.getKey().endsWith("LayerNorm.weight") ? 1 + 0.1 * random.nextGaussian()
                        : 0.3 * random.nextGaussian();
                data[i] = bf16((float) v);
            }
            FloatTensor t = new FloatTensor(e.getValue(), data);
            canonical.put(e.getKey(), t);
            String name = "bert." + e.getKey();
            if (name.endsWith("LayerNorm.weight") && e.getKey().startsWith("embeddings")) {
                name = name.replace("LayerNorm.weight", "LayerNorm.gamma"); // old TF-converted name
            }
            stored.put(name, t);
        }
        stored.put("bert.pooler.dense.weight", new FloatTensor(new long[] {D, D}, new float[D * D]));
        stored.put("bert.pooler.dense.bias", new FloatTensor(new long[] {D}, new float[D]));
        writeSafetensors(dir.resolve("model.safetensors"), stored, Map.of("bert.embeddings.position_ids", POSITIONS));
        return canonical;
    }

    private static float bf16(float v) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) & 0xffff0000);
    }

    /** BF16 tensors, plus int64 arange buffers of the given lengths. */
    static void writeSafetensors(Path file, Map<String, FloatTensor> tensors, Map<String, Integer> int64Ranges)
            throws IOException {
        ObjectNode header = MessageCodec.mapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "BF16");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + 2L * e.getValue().data().length);
            offset += 2L * e.getValue().data().length;
        }
        for (Map.Entry<String, Integer> e : int64Ranges.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "I64");
            t.putArray("shape").add(1).add(e.getValue());
            t.putArray("data_offsets").add(offset).add(offset + 8L * e.getValue());
            offset += 8L * e.getValue();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (FloatTensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate(2 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.data()) {
                    buf.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                }
                out.write(buf.array());
            }
            for (int n : int64Ranges.values()) {
                ByteBuffer buf = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (long i = 0; i < n; i++) {
                    buf.putLong(i);
                }
                out.write(buf.array());
            }
        }
    }

    private static String tokenizerJson() {
        ObjectNode root = MessageCodec.mapper().createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        var added = root.putArray("added_tokens");
        for (int i = 0; i < 5; i++) {
            added.addObject().put("id", i).put("content", VOCAB.get(i)).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        var single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        var pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : List.of("[CLS]", "[SEP]")) {
            ObjectNode n = specials.putObject(s);
            n.put("id", s);
            n.putArray("ids").add(VOCAB.indexOf(s));
            n.putArray("tokens").add(s);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < VOCAB.size(); i++) {
            vocab.put(VOCAB.get(i), i);
        }
        return root.toPrettyString();
    }

    // ---- BERT in plain Java (double precision), from the paper, for one unpadded sentence ----

    private static double[] referenceProbabilities(Map<String, FloatTensor> w, long[] ids, float[] headW,
            float[] headB, int labels) {
        int t = ids.length;
        double[][] x = new double[t][D];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < D; j++) {
                x[i][j] = at(w, "embeddings.word_embeddings.weight", (int) ids[i], j)
                        + at(w, "embeddings.position_embeddings.weight", i, j)
                        + at(w, "embeddings.token_type_embeddings.weight", 0, j);
            }
        }
        x = layerNorm(x, w, "embeddings.LayerNorm");
        int dh = D / HEADS;
        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(x, w, p + "attention.self.query");
            double[][] k = linear(x, w, p + "attention.self.key");
            double[][] v = linear(x, w, p + "attention.self.value");
            double[][] ctx = new double[t][D];
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < t; i++) {
                    double[] s = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        for (int c = 0; c < dh; c++) {
                            s[j] += q[i][h * dh + c] * k[j][h * dh + c];
                        }
                        s[j] /= Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < t; j++) {
                        for (int c = 0; c < dh; c++) {
                            ctx[i][h * dh + c] += s[j] / sum * v[j][h * dh + c];
                        }
                    }
                }
            }
            x = layerNorm(add(x, linear(ctx, w, p + "attention.output.dense")), w, p + "attention.output.LayerNorm");
            double[][] inner = linear(x, w, p + "intermediate.dense");
            for (double[] row : inner) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = 0.5 * row[j] * (1 + erf(row[j] / Math.sqrt(2)));
                }
            }
            x = layerNorm(add(x, linear(inner, w, p + "output.dense")), w, p + "output.LayerNorm");
        }
        double[] pooled = new double[D];
        for (double[] row : x) {
            for (int j = 0; j < D; j++) {
                pooled[j] += row[j] / t;
            }
        }
        double[] logits = new double[labels];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < labels; c++) {
            logits[c] = headB[c];
            for (int j = 0; j < D; j++) {
                logits[c] += headW[c * D + j] * pooled[j];
            }
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < labels; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        for (int c = 0; c < labels; c++) {
            logits[c] /= sum;
        }
        return logits;
    }

    private static double at(Map<String, FloatTensor> w, String name, int row, int col) {
        FloatTensor t = w.get(name);
        return t.data()[(int) (row * t.shape()[1] + col)];
    }

    private static double[][] linear(double[][] x, Map<String, FloatTensor> w, String module) {
        FloatTensor weight = w.get(module + ".weight");
        float[] bias = w.get(module + ".bias").data();
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int j = 0; j < in; j++) {
                    s += weight.data()[o * in + j] * x[i][j];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                y[i][j] = a[i][j] + b[i][j];
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, Map<String, FloatTensor> w, String prefix) {
        float[] gamma = w.get(prefix + ".weight").data();
        float[] beta = w.get(prefix + ".bias").data();
        double[][] y = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            double mean = java.util.Arrays.stream(x[i]).average().orElse(0);
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean) / x[i].length;
            }
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = (x[i][j] - mean) / Math.sqrt(var + 1e-12) * gamma[j] + beta[j];
            }
        }
        return y;
    }

    /** Abramowitz and Stegun 7.1.26 (error < 1.5e-7). */
    private static double erf(double z) {
        double t = 1 / (1 + 0.3275911 * Math.abs(z));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-z * z);
        return z >= 0 ? y : -y;
    }
}
