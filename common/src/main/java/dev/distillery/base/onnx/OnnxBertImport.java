package dev.distillery.base.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.base.onnx.OnnxGraph.Node;
import dev.distillery.base.onnx.OnnxGraph.Tensor;
import dev.distillery.messages.MessageCodec;
import dev.distillery.model.FloatTensor;

/**
 * Maps the weights of a BERT-family encoder exported to ONNX (the usual PyTorch/Optimum export of a
 * {@code BertModel}) to Hugging Face BERT names and layout, and infers its {@code config.json}.
 *
 * <p>Exports keep the names of biases, LayerNorms and embeddings but rename every linear weight to an anonymous
 * {@code onnx::MatMul_NNN} stored as {@code [in, out]} (the MatMul's right operand). Which linear layer such a weight
 * belongs to is read from the graph: the MatMul's output is added to a named bias ({@code ...query.bias}), so the
 * weight is {@code ...query.weight}, transposed to Hugging Face's {@code [out, in]}. Shapes cannot tell query, key,
 * value and attention output apart (all {@code [d, d]}); the graph can.
 */
public final class OnnxBertImport {

    /** The Hugging Face layout of the imported encoder. */
    public record Result(ObjectNode config, SortedMap<String, FloatTensor> weights) {
    }

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    private static final Pattern KNOWN = Pattern.compile(
            "^(embeddings\\.(word_embeddings|position_embeddings|token_type_embeddings)\\.weight"
                    + "|embeddings\\.LayerNorm\\.(weight|bias)"
                    + "|encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense"
                    + "|intermediate\\.dense|output\\.dense)\\.(weight|bias)"
                    + "|encoder\\.layer\\.\\d+\\.(attention\\.output|output)\\.LayerNorm\\.(weight|bias)"
                    + "|pooler\\.dense\\.(weight|bias))$");

    private OnnxBertImport() {
    }

    /**
     * @param padTokenId the tokenizer's padding id (written to {@code config.json})
     */
    public static Result of(OnnxGraph graph, int padTokenId) throws IOException {
        if (graph.nodes().stream().anyMatch(n -> n.opType().equals("CumSum"))) {
            // RoBERTa-style exports derive position ids from the input ids (padding_idx + cumsum of the mask).
            throw new IOException("the graph computes position ids with CumSum (RoBERTa/XLM-R style): only BERT-style"
                    + " absolute positions 0..T-1 are supported");
        }
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        SortedMap<String, FloatTensor> weights = new TreeMap<>();
        List<String> unmapped = new ArrayList<>();
        for (Tensor t : graph.initializers().values()) {
            if (!t.isFloat()) {
                continue; // e.g. the int64 position_ids buffer
            }
            String name = canonical(t.name());
            Node linear = linearUsing(t.name(), consumers);
            FloatTensor value;
            if (linear != null) {
                String bias = biasOf(linear, graph, consumers);
                if (!KNOWN.matcher(name).matches()) {
                    if (bias == null) {
                        unmapped.add(t.name() + " (a " + linear.opType() + " weight with no named bias after it)");
                        continue;
                    }
                    name = bias.substring(0, bias.length() - "bias".length()) + "weight";
                }
                boolean alreadyOutIn = linear.opType().equals("Gemm") && linear.intAttributes().getOrDefault("transB", 0L) == 1;
                value = alreadyOutIn ? new FloatTensor(t.shape(), t.floats()) : transpose(t);
            } else if (KNOWN.matcher(name).matches()) {
                value = new FloatTensor(t.shape(), t.floats());
            } else {
                if (t.size() > 1) {
                    unmapped.add(t.name());
                }
                continue; // scalar constants stored as initializers
            }
            if (weights.put(name, value) != null) {
                throw new IOException("two ONNX initializers map to " + name);
            }
        }
        if (!unmapped.isEmpty()) {
            throw new IOException("cannot map these ONNX initializers to BERT weights: " + unmapped);
        }
        return new Result(config(graph, weights, padTokenId), weights);
    }

    private static ObjectNode config(OnnxGraph graph, Map<String, FloatTensor> weights, int padTokenId)
            throws IOException {
        long[] word = shapeOf(weights, "embeddings.word_embeddings.weight");
        long hidden = word[1];
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : weights.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty() || layers.last() != layers.size() - 1) {
            throw new IOException("encoder layers are not numbered 0..n-1: " + layers);
        }
        long headSize = attentionHeadSize(graph);
        if (hidden % headSize != 0) {
            throw new IOException("attention head size " + headSize + " does not divide hidden size " + hidden);
        }
        if (graph.nodes().stream().noneMatch(n -> n.opType().equals("Erf"))
                && graph.nodes().stream().noneMatch(n -> n.opType().equals("Gelu"))) {
            throw new IOException("no exact GELU (Erf or Gelu) in the graph: only hidden_act gelu is supported");
        }
        ObjectNode c = MessageCodec.mapper().createObjectNode();
        c.putArray("architectures").add("BertModel");
        c.put("model_type", "bert");
        c.put("vocab_size", word[0]);
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", layers.size());
        c.put("num_attention_heads", hidden / headSize);
        c.put("intermediate_size", shapeOf(weights, "encoder.layer.0.intermediate.dense.weight")[0]);
        c.put("hidden_act", "gelu");
        c.put("max_position_embeddings", shapeOf(weights, "embeddings.position_embeddings.weight")[0]);
        c.put("type_vocab_size", weights.containsKey("embeddings.token_type_embeddings.weight")
                ? shapeOf(weights, "embeddings.token_type_embeddings.weight")[0] : 0);
        c.put("layer_norm_eps", layerNormEps(graph));
        c.put("pad_token_id", padTokenId);
        c.put("position_embedding_type", "absolute");
        return c;
    }

    /** sqrt(head size) is the scalar the attention scores Q·Kᵀ (a MatMul of two activations) are divided by. */
    private static long attentionHeadSize(OnnxGraph graph) throws IOException {
        Map<String, Node> producers = new HashMap<>();
        graph.nodes().forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        for (Node n : graph.nodes()) {
            if (!n.opType().equals("Div") && !n.opType().equals("Mul")) {
                continue;
            }
            Node left = producers.get(n.inputs().get(0));
            Tensor scale = graph.constant(n.inputs().get(1));
            if (left == null || !left.opType().equals("MatMul") || scale == null || !scale.isFloat()
                    || scale.size() != 1 || graph.constant(left.inputs().get(1)) != null) {
                continue;
            }
            double s = scale.floats()[0];
            double sqrt = n.opType().equals("Div") ? s : 1 / s;
            long headSize = Math.round(sqrt * sqrt);
            if (headSize > 0 && Math.abs(Math.sqrt(headSize) - sqrt) < 1e-3) {
                return headSize;
            }
        }
        throw new IOException("cannot find the attention scale (Q·Kᵀ divided by sqrt(head size)) in the graph");
    }

    /** The epsilon of a fused LayerNormalization, or the constant added to the variance of a decomposed one. */
    private static double layerNormEps(OnnxGraph graph) throws IOException {
        Map<String, Node> producers = new HashMap<>();
        graph.nodes().forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        for (Node n : graph.nodes()) {
            if (n.opType().equals("LayerNormalization")) {
                return n.floatAttributes().getOrDefault("epsilon", 1e-5f);
            }
            if (n.opType().equals("Sqrt")) {
                Node add = producers.get(n.inputs().get(0));
                if (add != null && add.opType().equals("Add")) {
                    for (String in : add.inputs()) {
                        Tensor eps = graph.constant(in);
                        if (eps != null && eps.isFloat() && eps.size() == 1) {
                            // Widened from F32 as stored: 1e-12f reads back as 9.9999999e-13.
                            return Double.parseDouble(Float.toString(eps.floats()[0]));
                        }
                    }
                }
            }
        }
        throw new IOException("cannot find the LayerNorm epsilon in the graph");
    }

    /** The MatMul/Gemm that uses the initializer as its weight operand, or null. */
    private static Node linearUsing(String initializer, Map<String, List<Node>> consumers) {
        for (Node n : consumers.getOrDefault(initializer, List.of())) {
            if ((n.opType().equals("MatMul") || n.opType().equals("Gemm")) && n.inputs().size() > 1
                    && n.inputs().get(1).equals(initializer)) {
                return n;
            }
        }
        return null;
    }

    /** The canonical name of the bias added to the linear's output (Gemm's C, or an Add right after a MatMul). */
    private static String biasOf(Node linear, OnnxGraph graph, Map<String, List<Node>> consumers) {
        List<String> candidates = new ArrayList<>();
        if (linear.opType().equals("Gemm") && linear.inputs().size() > 2) {
            candidates.add(linear.inputs().get(2));
        } else {
            for (Node add : consumers.getOrDefault(linear.outputs().get(0), List.of())) {
                if (add.opType().equals("Add")) {
                    candidates.addAll(add.inputs());
                }
            }
        }
        for (String c : candidates) {
            String name = canonical(c);
            if (graph.initializers().containsKey(c) && name.endsWith(".bias") && KNOWN.matcher(name).matches()) {
                return name;
            }
        }
        return null;
    }

    private static String canonical(String stored) {
        String name = stored;
        for (String prefix : new String[] {"bert.", "model."}) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            }
        }
        return name.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias");
    }

    private static FloatTensor transpose(Tensor t) throws IOException {
        long[] s = t.shape();
        if (s.length != 2) {
            throw new IOException("linear weight " + t.name() + " is not 2-D: " + java.util.Arrays.toString(s));
        }
        int rows = (int) s[0];
        int cols = (int) s[1];
        float[] in = t.floats();
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[r * cols + c];
            }
        }
        return new FloatTensor(new long[] {cols, rows}, out);
    }

    private static long[] shapeOf(Map<String, FloatTensor> weights, String name) throws IOException {
        FloatTensor t = weights.get(name);
        if (t == null) {
            throw new IOException("the ONNX model has no " + name);
        }
        return t.shape();
    }
}
