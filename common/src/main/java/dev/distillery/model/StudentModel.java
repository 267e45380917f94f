package dev.distillery.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * The student: frozen base encoder + LoRA adapters + a label head, on DJL's PyTorch engine.
 * Training and inference share one class; a served instance never records gradients.
 *
 * <p>The math is plain NDArray code ({@link TransformerEncoder}, {@link EncoderLayer}, {@link LoraLinear}) over named
 * arrays; trainable arrays are exactly the adapters, the head and (optionally) a private copy of the word
 * embeddings. The base's arrays never require a gradient, so backward cannot reach them.
 *
 * <p>One concern, the student's math: building it from a base and tensors, forward, loss and optimizer step, and its
 * trainable weights as tensors. Files are {@code dev.distillery.checkpoint.AdapterFiles}' job; fresh weights are
 * drawn by {@link FreshWeights}.
 *
 * <p>Concurrency: {@link #predict} may run on many threads at once; {@link #trainStep} excludes them while it
 * updates weights, and steps of all students in the JVM are serialised because the engine allows one gradient
 * collector per process.
 */
public final class StudentModel implements AutoCloseable {

    /** The sequence-classification head's name, as Hugging Face's classification models call it. */
    public static final String CLASSIFIER = "classifier";
    /** How the head's input is made from the token states (written to the adapter config for other tools). */
    public static final String POOLING = "mean";
    /** The head's token-evidence table [vocabulary, labels], saved with the head. */
    public static final String TOKEN_EVIDENCE = CLASSIFIER + ".token_evidence";
    static final String WORD_EMBEDDINGS = "embeddings.word_embeddings";

    /**
     * Global gradient-norm clip. Post-LN attention with growing adapters can spike (measured: NaN within ~150 steps at
     * lr 3e-3 without clipping); clipping at 1.0 is the usual transformer fine-tuning setting.
     */
    static final double MAX_GRADIENT_NORM = 1.0;

    /**
     * Padded tokens (windows x widest window) read in one forward pass for inference. Every window of a pass is
     * padded to the widest, and attention is quadratic in that width: passes of a few windows of similar width waste
     * less than one big pass (32 random tinker lines padded together cost 1.56x their tokens, sorted into passes of
     * ~6 windows 1.1x), while each pass's fixed cost (~60 engine calls, ~0.7 ms) stays small next to ~500 tokens of
     * compute. Measured in one process on 32 tinker lines, one thread: 400-430 texts/s in one pass of up to 64
     * windows (the earlier rule), 700-750 in passes of 512 padded tokens by width (1,024: about the same). It also
     * bounds each pass's native memory (a single text wider than the budget is still read in one pass).
     */
    private static final int PREDICT_TOKENS = 512;

    /**
     * Windows read per text: 256 x 126 tokens, more than the ~5 tokens a character that the service's 4,000-character
     * limit can produce, so every accepted text is read whole.
     */
    public static final int MAX_WINDOWS = 256;

    private static final ReentrantLock TRAINING = new ReentrantLock();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StudentModel.class);

    private final BaseModel base;
    private final LoraConfig lora;
    private final List<String> labels;
    private final Device device;
    private final NDManager manager;
    /** Model name (Hugging Face module path without the encoder prefix) to trainable array, in a stable order. */
    private final Map<String, NDArray> trainable;
    private final TransformerEncoder encoder;
    private final NDArray headWeight;
    private final NDArray headBias;
    /** [V, L] or null: see {@link LoraConfig#tokenEvidence()} and {@link #logits}. */
    private final NDArray tokenEvidence;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AdamW optimizer = new AdamW(0.9, 0.999, 1e-8, 0.01);
    private boolean gradientsAttached;
    private volatile double lastGradientNorm = Double.NaN;
    private volatile boolean closed;

    /** Seed of this instance's fresh parts (adapter A matrices, head); unused when restoring. */
    private final long seed;

    private StudentModel(BaseModel base, LoraConfig lora, List<String> labels, Device device, long seed,
            Map<String, FloatTensor> initial) {
        this.seed = seed;
        this.base = base;
        this.lora = lora;
        this.labels = List.copyOf(labels);
        this.device = device;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Map<String, NDArray> frozen = frozenWeights(base, device, manager);
            this.trainable = new LinkedHashMap<>();
            BertConfig c = base.config();
            NDArray word = frozen.get(WORD_EMBEDDINGS + ".weight");
            if (lora.trainEmbeddings()) {
                word = addTrainable(WORD_EMBEDDINGS + ".weight", initial, () -> {
                    float[] data = base.weights().get(WORD_EMBEDDINGS + ".weight").toFloatArray();
                    return new FloatTensor(new long[] {c.vocabSize(), c.hiddenSize()}, data);
                });
            }
            List<EncoderLayer> layers = new ArrayList<>();
            for (int i = 0; i < c.numLayers(); i++) {
                String p = "encoder.layer." + i + ".";
                layers.add(new EncoderLayer(
                        linear(p + "attention.self.query", frozen, initial),
                        linear(p + "attention.self.key", frozen, initial),
                        linear(p + "attention.self.value", frozen, initial),
                        linear(p + "attention.output.dense", frozen, initial),
                        frozen.get(p + "attention.output.LayerNorm.weight"),
                        frozen.get(p + "attention.output.LayerNorm.bias"),
                        linear(p + "intermediate.dense", frozen, initial),
                        linear(p + "output.dense", frozen, initial),
                        frozen.get(p + "output.LayerNorm.weight"),
                        frozen.get(p + "output.LayerNorm.bias"),
                        c.numHeads(), (float) c.layerNormEps()));
            }
            this.encoder = new TransformerEncoder(c, word, frozen.get("embeddings.position_embeddings.weight"),
                    frozen.get("embeddings.token_type_embeddings.weight"), frozen.get("embeddings.LayerNorm.weight"),
                    frozen.get("embeddings.LayerNorm.bias"), layers);
            // The head: N(0, 0.02) like BERT's classifier, drawn from the seed alone so that students with and
            // without adapters (same seed) share it.
            this.headWeight = addTrainable(CLASSIFIER + ".weight", initial, () -> FreshWeights.gaussian(
                    new long[] {labels.size(), c.hiddenSize()}, 0.02, FreshWeights.seedFor(CLASSIFIER, seed)));
            this.headBias = addTrainable(CLASSIFIER + ".bias", initial,
                    () -> new FloatTensor(new long[] {labels.size()}, new float[labels.size()]));
            // Zero at first, so a fresh student computes exactly what its base and head compute.
            this.tokenEvidence = lora.tokenEvidence() ? addTrainable(TOKEN_EVIDENCE + ".weight", initial,
                    () -> new FloatTensor(new long[] {c.vocabSize(), labels.size()},
                            new float[c.vocabSize() * labels.size()])) : null;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A fresh student: adapters with B = 0 (so it starts exactly as the base) and a new label head.
     *
     * @param device {@code auto}, {@code cpu} or {@code gpu}
     */
    public static StudentModel create(BaseModel base, LoraConfig lora, List<String> labels, String device, long seed) {
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least two labels, got " + labels);
        }
        return new StudentModel(base, lora, labels, Devices.resolve(device), seed, null);
    }

    /**
     * A student from trainable tensors by model name (as {@link #trainableTensors()} gives them): exactly the adapters,
     * head and (when configured) word embeddings this base and LoRA configuration need, with their shapes. Reading
     * them from files is {@code dev.distillery.checkpoint.AdapterFiles}' job.
     *
     * @throws IllegalArgumentException when a tensor is missing, unexpected or of another shape
     */
    public static StudentModel fromTensors(BaseModel base, LoraConfig lora, List<String> labels, String device,
            Map<String, FloatTensor> tensors) {
        StudentModel model = new StudentModel(base, lora, labels, Devices.resolve(device), 0, tensors);
        if (!model.trainable.keySet().equals(tensors.keySet())) {
            model.close();
            throw new IllegalArgumentException("the tensors are " + new TreeMap<>(tensors).keySet()
                    + " but the config implies " + model.trainable.keySet());
        }
        return model;
    }

    /**
     * One forward pass over a batch; thread-safe, no gradients recorded, native memory released on return. Every text
     * is read whole, in windows whose token states are pooled together ({@link #MAX_WINDOWS} at most).
     */
    public List<Prediction> predict(List<String> texts) {
        List<List<long[]>> encoded = texts.stream().map(this::encode).toList();
        Prediction[] out = new Prediction[texts.size()];
        lock.readLock().lock();
        try {
            ensureOpen();
            JniUtils.setGradMode(false); // grad mode is per thread and on by default in libtorch
            for (int[] pass : passes(encoded, PREDICT_TOKENS)) {
                List<List<long[]>> chunk = new ArrayList<>(pass.length);
                for (int i : pass) {
                    chunk.add(encoded.get(i));
                }
                float[] probs;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    probs = logits(chunk, false).softmax(-1).toFloatArray();   // [n, L]
                }
                int l = labels.size();
                for (int j = 0; j < chunk.size(); j++) {
                    int best = 0;
                    List<Double> p = new ArrayList<>(l);
                    for (int c = 0; c < l; c++) {
                        p.add((double) probs[j * l + c]);
                        if (probs[j * l + c] > probs[j * l + best]) {
                            best = c;
                        }
                    }
                    out[pass[j]] = new Prediction(labels.get(best), p.get(best), p, tokens(chunk.get(j)));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return Arrays.asList(out);
    }

    /**
     * Indices of {@code encoded} in passes: ascending width, each pass at most {@code budget} padded tokens (windows x
     * its widest window; the text being added sets the width) and at least one text. Texts of similar width share a
     * pass, so little compute goes to padding.
     */
    private List<int[]> passes(List<List<long[]>> encoded, int budget) {
        boolean collapse = encoder.positionFree();
        int[] width = new int[encoded.size()];
        Integer[] order = new Integer[encoded.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            width[i] = WindowBatch.width(encoded.get(i), collapse);
        }
        Arrays.sort(order, Comparator.comparingInt(i -> width[i]));
        List<int[]> passes = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int windows = 0;
            int end = start;
            while (end < order.length && (end == start
                    || (long) (windows + encoded.get(order[end]).size()) * width[order[end]] <= budget)) {
                windows += encoded.get(order[end++]).size();
            }
            int[] pass = new int[end - start];
            for (int j = 0; j < pass.length; j++) {
                pass[j] = order[start + j];
            }
            passes.add(pass);
            start = end;
        }
        return passes;
    }

    /**
     * The encoder's last hidden states for one text, flattened [T, d] (adapters applied), so that a ported base can be
     * checked against another runtime's {@code last_hidden_state}. Of the text's first window only.
     */
    float[] lastHiddenState(String text) {
        long[] ids = encode(text).get(0);
        lock.readLock().lock();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ensureOpen();
            JniUtils.setGradMode(false);
            NDArray idArray = manager.create(ids, new Shape(1, ids.length));
            NDArray mask = manager.ones(new Shape(1, ids.length));
            return encoder.hiddenStates(idArray, mask, false).toFloatArray();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * One optimizer step (AdamW) of cross-entropy against target distributions (one-hot for a hard teacher label).
     *
     * @param targets one row per text, one column per label, each row summing to 1
     * @return the batch's mean loss before the step
     */
    public double trainStep(List<String> texts, float[][] targets, double learningRate) {
        return trainStep(texts, targets, learningRate, 0, null);
    }

    /**
     * As {@link #trainStep(List, float[][], double)}, reading each text with {@link TokenDropout} at
     * {@code tokenDropout}.
     *
     * @param random draws the dropped tokens (unused when {@code tokenDropout} is 0)
     */
    public double trainStep(List<String> texts, float[][] targets, double learningRate, double tokenDropout,
            Random random) {
        if (texts.isEmpty() || texts.size() != targets.length) {
            throw new IllegalArgumentException("need one target row per text, got " + texts.size() + " texts and "
                    + targets.length + " rows");
        }
        float[] flat = new float[targets.length * labels.size()];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i].length != labels.size()) {
                throw new IllegalArgumentException("target row " + i + " has " + targets[i].length
                        + " columns, the model has " + labels.size() + " labels");
            }
            System.arraycopy(targets[i], 0, flat, i * labels.size(), labels.size());
        }
        TextTokenizer tokenizer = base.tokenizer();
        List<List<long[]>> encoded = texts.stream()
                .map(t -> TokenDropout.apply(encode(t), tokenDropout, random, tokenizer::droppable)).toList();
        TRAINING.lock();
        lock.writeLock().lock();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ensureOpen();
            attachGradients();
            double loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = logits(encoded, true);                                  // [B, L]
                NDArray target = manager.create(flat, new Shape(targets.length, labels.size()));
                NDArray lossArray = logits.logSoftmax(-1).mul(target).sum(new int[] {1}).mean().neg();
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            JniUtils.setGradMode(false);
            if (!Double.isFinite(loss)) {
                // One bad batch must not poison the adapter the trainer is about to checkpoint.
                LOG.warnf("non-finite loss %s: step skipped", loss);
                optimizer.zeroGradients(trainable);
                return loss;
            }
            double norm = optimizer.step(trainable, learningRate, MAX_GRADIENT_NORM);
            encoder.adaptersChanged();
            lastGradientNorm = norm;
            if (!Double.isFinite(norm)) {
                LOG.warnf("non-finite gradient (loss %s) in %s: step skipped", loss, optimizer.lastNonFinite());
            }
            return loss;
        } finally {
            JniUtils.setGradMode(false);
            lock.writeLock().unlock();
            TRAINING.unlock();
        }
    }

    /** Copies of the trainable tensors by model name, in a stable order: what an adapter file holds. */
    public SortedMap<String, FloatTensor> trainableTensors() {
        SortedMap<String, FloatTensor> tensors = new TreeMap<>();
        lock.readLock().lock();
        try {
            ensureOpen();
            trainable.forEach((name, array) ->
                    tensors.put(name, new FloatTensor(array.getShape().getShape(), array.toFloatArray())));
        } finally {
            lock.readLock().unlock();
        }
        return tensors;
    }

    public List<String> labels() {
        return labels;
    }

    public BaseModel base() {
        return base;
    }

    public LoraConfig lora() {
        return lora;
    }

    /** {@code cpu()} or {@code gpu(0)}: where the model actually runs. */
    public String device() {
        return device.toString();
    }

    /** Number of trainable parameters (adapters + head) and of all parameters. */
    public long trainableParameters() {
        return trainable.values().stream().mapToLong(NDArray::size).sum();
    }

    public long totalParameters() {
        long trainableEmbeddings = lora.trainEmbeddings() ? trainable.get(WORD_EMBEDDINGS + ".weight").size() : 0;
        return base.parameterCount() - trainableEmbeddings + trainableParameters();
    }

    /** Model names and copies of the trainable arrays, for tests and diagnostics. */
    public Map<String, float[]> trainableSnapshot() {
        lock.readLock().lock();
        try {
            ensureOpen();
            Map<String, float[]> out = new LinkedHashMap<>();
            trainable.forEach((k, v) -> out.put(k, v.toFloatArray()));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Overwrites the trainable arrays with values of the same names and sizes (as {@link #trainableSnapshot()} gives
     * them), e.g. to evaluate or keep an average of earlier weights. The optimizer's moments are kept.
     */
    public void setTrainable(Map<String, float[]> values) {
        if (!values.keySet().equals(trainable.keySet())) {
            throw new IllegalArgumentException("trainable arrays are " + trainable.keySet() + ", got " + values.keySet());
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                float[] v = values.get(e.getKey());
                if (v.length != e.getValue().size()) {
                    throw new IllegalArgumentException(e.getKey() + " has " + e.getValue().size() + " values, got "
                            + v.length);
                }
                e.getValue().set(v);
            }
            encoder.adaptersChanged();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Global gradient norm of the last step, before clipping (NaN before the first step or after a skipped one). */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** Number of optimizer steps taken since creation or load. */
    public long steps() {
        return optimizer.steps();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                manager.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- internals ----

    private List<long[]> encode(String text) {
        return base.tokenizer().encodeWindows(text == null ? "" : text, base.maxLength(), MAX_WINDOWS);
    }

    private static int tokens(List<long[]> windows) {
        int n = 0;
        for (long[] w : windows) {
            n += w.length;
        }
        return n;
    }

    /**
     * Logits [n, L] for already-tokenized texts (each one or more windows), laid out by {@link WindowBatch}: each
     * text's vector is the mean over all its tokens, as if it had been read in one piece, and its token evidence (when
     * configured) the sum over all its tokens. Call inside an NDScope.
     */
    private NDArray logits(List<List<long[]>> encoded, boolean training) {
        WindowBatch batch = WindowBatch.of(encoded, base.tokenizer().padId(), encoder.positionFree());
        Shape shape = new Shape(batch.windows(), batch.length());
        NDArray ids = manager.create(batch.ids(), shape);                                          // [W, T]
        NDArray weights = manager.create(batch.weights(), shape);                                  // [W, T]
        NDArray pooled = encoder.forward(ids, weights, training);                                 // [W, d]
        // Token evidence: each token's score per label, summed (not averaged) over the text. The pooled mean says
        // which language a text reads like but not how much evidence it holds; a teacher's "too little evidence:
        // other" (a three-word greeting, a sentence whose words belong to no listed language) is a matter of sums.
        NDArray sums = tokenEvidence == null ? null
                : TransformerEncoder.embed(ids, tokenEvidence).mul(weights.expandDims(2))
                        .sum(new int[] {1});                                                      // [W, L]
        if (batch.windows() != batch.texts()) {
            NDArray pooling = manager.create(batch.pooling(), new Shape(batch.texts(), batch.windows()));
            pooled = pooling.matMul(pooled);                              // [n, W] x [W, d] = [n, d]
            if (sums != null) {
                sums = pooling.gt(0).toType(DataType.FLOAT32, false).matMul(sums);   // [n, W] x [W, L] = [n, L]
            }
        }
        NDArray logits = Linear.linear(pooled, headWeight, headBias).singletonOrThrow();         // [n, L]
        return sums == null ? logits : logits.add(sums);
    }

    private void attachGradients() {
        if (!gradientsAttached) {
            trainable.values().forEach(a -> a.setRequiresGradient(true));
            gradientsAttached = true;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("student model is closed");
        }
    }

    private LoraLinear linear(String module, Map<String, NDArray> frozen, Map<String, FloatTensor> initial) {
        NDArray w = frozen.get(module + ".weight");
        NDArray b = frozen.get(module + ".bias");
        if (!targeted(module)) {
            return new LoraLinear(module, w, b, null, null, 0f, 0f);
        }
        long out = w.getShape().get(0);
        long in = w.getShape().get(1);
        int r = lora.rank();
        // A ~ U(-1/sqrt(in), 1/sqrt(in)) as PEFT's kaiming_uniform(a=sqrt(5)); B = 0.
        NDArray a = addTrainable(module + ".lora_A.weight", initial,
                () -> FreshWeights.uniform(new long[] {r, in}, 1 / Math.sqrt(in),
                        FreshWeights.seedFor(module, seed)));
        NDArray bb = addTrainable(module + ".lora_B.weight", initial,
                () -> new FloatTensor(new long[] {out, r}, new float[(int) (out * r)]));
        return new LoraLinear(module, w, b, a, bb, (float) lora.scaling(), (float) lora.dropout());
    }

    /** PEFT semantics: a target matches the module path exactly or as a dotted suffix. */
    private boolean targeted(String module) {
        for (String target : lora.targetModules()) {
            if (module.equals(target) || module.endsWith("." + target)) {
                return true;
            }
        }
        return false;
    }

    private NDArray addTrainable(String name, Map<String, FloatTensor> initial,
            java.util.function.Supplier<FloatTensor> fresh) {
        FloatTensor t;
        if (initial != null) {
            t = initial.get(name);
            if (t == null) {
                throw new IllegalArgumentException("adapter lacks tensor " + name);
            }
            FloatTensor expected = fresh.get();
            if (!Arrays.equals(t.shape(), expected.shape())) {
                throw new IllegalArgumentException("adapter tensor " + name + " has shape "
                        + Arrays.toString(t.shape()) + ", this base and config need "
                        + Arrays.toString(expected.shape()));
            }
        } else {
            t = fresh.get();
        }
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setName(name);
        trainable.put(name, a);
        return a;
    }

    private static Map<String, NDArray> frozenWeights(BaseModel base, Device device, NDManager manager) {
        if (device.equals(Device.cpu())) {
            return base.weights();
        }
        Map<String, NDArray> copies = new LinkedHashMap<>();
        base.weights().forEach((k, v) -> {
            NDArray c = v.toDevice(device, true);
            c.attach(manager);
            copies.put(k, c);
        });
        return copies;
    }
}
