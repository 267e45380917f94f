package dev.distillery.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.distillery.integrity.Sha256;

/**
 * The frozen base the student adapts: a BERT-family encoder config, its weights and its tokenizer.
 * Either the embedded {@code tiny} base (built in code from a fixed seed: randomly initialised, nothing downloaded)
 * or a Hugging Face directory ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}).
 *
 * <p>Weights live on the CPU under Hugging Face BERT names without the {@code bert.} prefix
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, ...). They are
 * never trained: a student on the CPU reads these very arrays, a student on a GPU copies them.
 */
public final class BaseModel implements AutoCloseable {

    /** Seed of the embedded base: changing it changes {@link #sha256()} and invalidates every tiny adapter. */
    public static final long TINY_SEED = 20_240_601L;
    public static final String TINY_ID = "tiny";

    private static BaseModel tinyInstance;

    private final String id;
    private final BertConfig config;
    private final TextTokenizer tokenizer;
    private final NDManager manager;
    private final Map<String, NDArray> weights;
    private final String sha256;
    private final boolean shared;

    private BaseModel(String id, BertConfig config, TextTokenizer tokenizer, NDManager manager,
            Map<String, NDArray> weights, String sha256, boolean shared) {
        this.id = id;
        this.config = config;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.weights = Collections.unmodifiableMap(weights);
        this.sha256 = sha256;
        this.shared = shared;
    }

    /** The embedded randomly-initialised base, identical on every machine (fixed seed). */
    public static synchronized BaseModel tiny() {
        if (tinyInstance == null) {
            tinyInstance = random(TINY_ID, BertConfig.tiny(), TINY_SEED, true);
        }
        return tinyInstance;
    }

    /**
     * A randomly initialised base of any shape, drawn in Java from {@code seed} so it is identical on every machine
     * and engine. Weights are N(0, 1/sqrt(fan-in)) rather than BERT's N(0, 0.02): a frozen random encoder is only
     * useful if its layers actually mix tokens, which near-zero weights would not.
     */
    public static BaseModel random(String id, BertConfig config, long seed) {
        return random(id, config, seed, false);
    }

    private static BaseModel random(String id, BertConfig config, long seed, boolean shared) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            float[] data = new float[(int) count(shape)];
            if (name.endsWith("LayerNorm.weight")) {
                java.util.Arrays.fill(data, 1f);
            } else if (name.endsWith(".bias") || name.equals("embeddings.position_embeddings.weight")) {
                // biases zero, like BERT's initialisation; positions zero: a random base reads a window as a set of
                // tokens, so a token means the same at every position and in every window (see MODEL.md)
            } else {
                double std = name.startsWith("embeddings.") ? 1.0 : 1.0 / Math.sqrt(shape[1]);
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * std);
                }
            }
            tensors.put(name, new FloatTensor(shape, data));
        }
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Map<String, NDArray> weights = new LinkedHashMap<>();
        tensors.forEach((name, t) -> weights.put(name, toArray(manager, name, t)));
        // The config is hashed too: the same weights under another layer-norm eps or head count compute something else;
        // and so is the tokenizer's revision: the same weights fed other tokens are another model.
        String sha = Sha256.hex(config + "\n" + ByteLevelTokenizer.REVISION + "\n" + canonicalSha256(tensors));
        return new BaseModel(id, config, new ByteLevelTokenizer(), manager, weights, sha, shared);
    }

    /** A Hugging Face BERT-layout directory; BF16/F16 tensors are widened to F32. */
    public static BaseModel load(Path directory) throws IOException {
        Path configFile = directory.resolve("config.json");
        Path weightsFile = directory.resolve("model.safetensors");
        Path tokenizerFile = directory.resolve("tokenizer.json");
        for (Path p : new Path[] {configFile, weightsFile, tokenizerFile}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("base model directory " + directory + " lacks " + p.getFileName());
            }
        }
        BertConfig config = BertConfig.read(configFile);
        Map<String, long[]> expected = expectedShapes(config);
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Map<String, NDArray> weights = new LinkedHashMap<>();
        HuggingFaceTextTokenizer tokenizer = null;
        try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
            for (String stored : file.names()) {
                String name = canonicalName(stored);
                if (!expected.containsKey(name) || !file.isFloat(stored)) {
                    continue; // pooler, MLM head, position_ids buffer: not part of the encoder we run
                }
                FloatTensor t = file.read(stored);
                if (!java.util.Arrays.equals(t.shape(), expected.get(name))) {
                    throw new IOException(stored + " has shape " + java.util.Arrays.toString(t.shape())
                            + ", config.json implies " + java.util.Arrays.toString(expected.get(name)));
                }
                if (weights.put(name, toArray(manager, name, t)) != null) {
                    throw new IOException("two tensors map to " + name);
                }
            }
            for (String name : expected.keySet()) {
                if (!weights.containsKey(name)) {
                    throw new IOException(weightsFile + " lacks " + name);
                }
            }
            tokenizer = new HuggingFaceTextTokenizer(tokenizerFile, config.padTokenId());
            // The id is the path as given: adapters name their base by it (base_model_name_or_path), so it must
            // resolve where the user runs, unlike a bare folder name.
            return new BaseModel(directory.toString(), config, tokenizer, manager,
                    orderedLike(expected, weights), Sha256.hex(weightsFile), false);
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        }
    }

    /** {@code tiny} or a path given by configuration ({@code distillery.model.base}). */
    public static BaseModel resolve(String idOrPath) throws IOException {
        if (idOrPath == null || idOrPath.isBlank() || idOrPath.equals(TINY_ID)) {
            return tiny();
        }
        return load(Path.of(idOrPath));
    }

    /** {@code tiny}, or the Hugging Face directory's path as configured ({@code distillery.model.base}). */
    public String id() {
        return id;
    }

    /**
     * sha256 over the base weights: an adapter is only valid on the exact base it was trained on. For a random base
     * (tiny) it covers the config and the values; for a directory it is the sha256 of {@code model.safetensors}.
     */
    public String sha256() {
        return sha256;
    }

    /** Tokens the base's tokenizer produces for a text, without truncation (for prompt-cost accounting). */
    public int countTokens(String text) {
        return tokenizer.countTokens(text);
    }

    /** Longest input, in tokens, the model reads; longer inputs are truncated. */
    public int maxLength() {
        return config.maxLength();
    }

    public BertConfig config() {
        return config;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** The frozen weights by canonical name; read-only arrays on the CPU. */
    Map<String, NDArray> weights() {
        return weights;
    }

    public long parameterCount() {
        return weights.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Frees the native weights; the shared {@link #tiny()} instance is never closed. */
    @Override
    public void close() {
        if (shared) {
            return;
        }
        manager.close();
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "BaseModel[" + id + ", " + config + "]";
    }

    /** Every tensor the encoder runs, by canonical Hugging Face name, with its shape. */
    static Map<String, long[]> expectedShapes(BertConfig c) {
        long d = c.hiddenSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), d});
        shapes.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), d});
        if (c.typeVocabSize() > 0) {
            shapes.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), d});
        }
        shapes.put("embeddings.LayerNorm.weight", new long[] {d});
        shapes.put("embeddings.LayerNorm.bias", new long[] {d});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense"}) {
                shapes.put(p + m + ".weight", new long[] {d, d});
                shapes.put(p + m + ".bias", new long[] {d});
            }
            shapes.put(p + "attention.output.LayerNorm.weight", new long[] {d});
            shapes.put(p + "attention.output.LayerNorm.bias", new long[] {d});
            shapes.put(p + "intermediate.dense.weight", new long[] {c.intermediateSize(), d});
            shapes.put(p + "intermediate.dense.bias", new long[] {c.intermediateSize()});
            shapes.put(p + "output.dense.weight", new long[] {d, c.intermediateSize()});
            shapes.put(p + "output.dense.bias", new long[] {d});
            shapes.put(p + "output.LayerNorm.weight", new long[] {d});
            shapes.put(p + "output.LayerNorm.bias", new long[] {d});
        }
        return shapes;
    }

    /** {@code bert.encoder...} / {@code roberta.encoder...} and old {@code gamma/beta} names to canonical ones. */
    static String canonicalName(String stored) {
        String name = stored;
        for (String prefix : new String[] {"bert.", "roberta.", "model."}) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
                break;
            }
        }
        if (name.contains("LayerNorm.gamma")) {
            name = name.replace("LayerNorm.gamma", "LayerNorm.weight");
        } else if (name.contains("LayerNorm.beta")) {
            name = name.replace("LayerNorm.beta", "LayerNorm.bias");
        }
        return name;
    }

    private static Map<String, NDArray> orderedLike(Map<String, long[]> order, Map<String, NDArray> weights) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        order.keySet().forEach(k -> out.put(k, weights.get(k)));
        return out;
    }

    static NDArray toArray(NDManager manager, String name, FloatTensor t) {
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setName(name);
        return a;
    }

    /** sha256 over sorted names, shapes and little-endian F32 values: independent of file layout. */
    static String canonicalSha256(Map<String, FloatTensor> tensors) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, FloatTensor> e : new TreeMap<>(tensors).entrySet()) {
            digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update(java.util.Arrays.toString(e.getValue().shape()).getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(4 * e.getValue().data().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(e.getValue().data());
            digest.update(buf.array());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
