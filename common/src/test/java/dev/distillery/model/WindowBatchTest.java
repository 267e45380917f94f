package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/** Windows read as multisets: the layout, and that the tiny encoder computes exactly what reading every copy would. */
class WindowBatchTest {

    @Test
    void aWindowIsItsDistinctIdsWeightedByCountAndTextsPoolTheirWindowsByTokens() {
        long[] first = {1, 7, 9, 7, 7, 2};
        long[] second = {1, 9, 2};
        long[] other = {1, 5, 2};
        WindowBatch b = WindowBatch.of(List.of(List.of(first, second), List.of(other)), 0, true);
        assertEquals(2, b.texts());
        assertEquals(3, b.windows());
        assertEquals(4, b.length(), "the longest window has four distinct ids");
        assertArrayEquals(new long[] {1, 7, 9, 2, 1, 9, 2, 0, 1, 5, 2, 0}, b.ids(), "first occurrence order, padded");
        assertArrayEquals(new float[] {1, 3, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0}, b.weights());
        assertArrayEquals(new float[] {6 / 9f, 3 / 9f, 0, 0, 0, 1}, b.pooling(), "a text's windows by their tokens");

        WindowBatch plain = WindowBatch.of(List.of(List.of(first, second), List.of(other)), 0, false);
        assertEquals(6, plain.length());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0}, plain.weights());
        assertArrayEquals(b.pooling(), plain.pooling());
    }

    @Test
    void aTextsWidthIsTheColumnsOfItsWidestWindowWhatItsBatchPadsTo() {
        long[] first = {1, 7, 9, 7, 7, 2};
        long[] second = {1, 9, 2};
        List<long[]> text = List.of(second, first);
        assertEquals(4, WindowBatch.width(text, true), "four distinct ids");
        assertEquals(6, WindowBatch.width(text, false), "six tokens");
        assertEquals(WindowBatch.of(List.of(text), 0, true).length(), WindowBatch.width(text, true));
        assertEquals(WindowBatch.of(List.of(text), 0, false).length(), WindowBatch.width(text, false));
    }

    @Test
    void theTinyEncoderReadsAMultisetExactlyAsItsCopies() {
        BaseModel base = BaseModel.tiny();
        TransformerEncoder encoder = encoder(base);
        assertTrue(encoder.positionFree(), "tiny's position embeddings are zero");
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        List<List<long[]>> texts = List.of(
                List.of(t.encode("Привет, как дела? Всё хорошо, спасибо.", 128)),
                List.of(t.encode("ab ab ab ab", 128)),
                List.of(t.encode("你好世界你好", 128)));
        float[] copies = vectors(encoder, WindowBatch.of(texts, 0, false));
        float[] multisets = vectors(encoder, WindowBatch.of(texts, 0, true));
        assertEquals(copies.length, multisets.length);
        for (int i = 0; i < copies.length; i++) {
            assertEquals(copies[i], multisets[i], 1e-4, "component " + i);
        }
    }

    @Test
    void aMergedAdapterComputesWhatTheFactoredOneDoesUntilTheAdaptersChange() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            JniUtils.setGradMode(false);
            NDArray w = m.randomNormal(new Shape(6, 5));
            NDArray a = m.randomNormal(new Shape(2, 5));
            NDArray bb = m.randomNormal(new Shape(6, 2));
            LoraLinear layer = new LoraLinear("x", w, m.randomNormal(new Shape(6)), a, bb, 2f, 0f);
            NDArray x = m.randomNormal(new Shape(3, 5));
            assertClose(layer.forward(x, true), layer.forward(x, false));
            bb.muli(3f);                      // an optimizer step, in place
            layer.adaptersChanged();
            assertClose(layer.forward(x, true), layer.forward(x, false));
        }
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        float[] e = expected.toFloatArray();
        float[] g = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], g[i], 1e-4);
        }
    }

    private static float[] vectors(TransformerEncoder encoder, WindowBatch b) {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            JniUtils.setGradMode(false);
            Shape shape = new Shape(b.windows(), b.length());
            return encoder.forward(m.create(b.ids(), shape), m.create(b.weights(), shape), false).toFloatArray();
        }
    }

    /** The base's encoder without adapters, as a student with B = 0 computes it. */
    private static TransformerEncoder encoder(BaseModel base) {
        Map<String, NDArray> w = base.weights();
        BertConfig c = base.config();
        List<EncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            layers.add(new EncoderLayer(linear(w, p + "attention.self.query"), linear(w, p + "attention.self.key"),
                    linear(w, p + "attention.self.value"), linear(w, p + "attention.output.dense"),
                    w.get(p + "attention.output.LayerNorm.weight"), w.get(p + "attention.output.LayerNorm.bias"),
                    linear(w, p + "intermediate.dense"), linear(w, p + "output.dense"),
                    w.get(p + "output.LayerNorm.weight"), w.get(p + "output.LayerNorm.bias"), c.numHeads(),
                    (float) c.layerNormEps()));
        }
        return new TransformerEncoder(c, w.get("embeddings.word_embeddings.weight"),
                w.get("embeddings.position_embeddings.weight"), null, w.get("embeddings.LayerNorm.weight"),
                w.get("embeddings.LayerNorm.bias"), layers);
    }

    private static LoraLinear linear(Map<String, NDArray> w, String module) {
        return new LoraLinear(module, w.get(module + ".weight"), w.get(module + ".bias"), null, null, 0f, 0f);
    }
}
