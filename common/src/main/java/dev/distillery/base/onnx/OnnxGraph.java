package dev.distillery.base.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model ({@code onnx.proto}'s ModelProto) a weight import needs: the graph's nodes, its
 * initializers (weights) and the tensors of its Constant nodes. Field numbers are onnx.proto's; tensors stored
 * outside the file ({@code data_location = EXTERNAL}) are refused.
 */
public final class OnnxGraph {

    /** ONNX TensorProto.DataType values this reader decodes. */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    /** One operator: its type, input and output value names, and the scalar/tensor attributes it carries. */
    public record Node(String opType, String name, List<String> inputs, List<String> outputs,
            Map<String, Float> floatAttributes, Map<String, Long> intAttributes, Map<String, Tensor> tensorAttributes) {
    }

    /** A dense tensor: shape and values, floats widened from any float type, integers kept as longs. */
    public record Tensor(String name, long[] shape, int dataType, float[] floats, long[] longs) {

        public boolean isFloat() {
            return floats != null;
        }

        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;
    private final List<String> outputs;

    private OnnxGraph(List<Node> nodes, Map<String, Tensor> initializers, List<String> outputs) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.outputs = List.copyOf(outputs);
    }

    public static OnnxGraph read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            ProtoReader model = new ProtoReader(bytes, 0, bytes.length);
            while (model.next()) {
                if (model.field() == 7 && model.wireType() == ProtoReader.LENGTH_DELIMITED) { // ModelProto.graph
                    return graph(model.message());
                }
                model.skip();
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a readable ONNX model: " + e.getMessage(), e);
        }
        throw new IOException(file + " holds no ONNX graph");
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Weights by their names in the graph. */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** The graph's output names, in order. */
    public List<String> outputs() {
        return outputs;
    }

    /** The initializer or Constant-node tensor that produces the value {@code name}, or null. */
    public Tensor constant(String name) {
        Tensor t = initializers.get(name);
        if (t != null) {
            return t;
        }
        for (Node n : nodes) {
            if (n.opType().equals("Constant") && n.outputs().contains(name)) {
                return n.tensorAttributes().get("value");
            }
        }
        return null;
    }

    private static OnnxGraph graph(ProtoReader g) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        while (g.next()) {
            switch (g.field()) {
                case 1 -> nodes.add(node(g.message()));                  // GraphProto.node
                case 5 -> {                                                // GraphProto.initializer
                    Tensor t = tensor(g.message());
                    initializers.put(t.name(), t);
                }
                case 12 -> outputs.add(valueInfoName(g.message()));       // GraphProto.output
                default -> g.skip();
            }
        }
        return new OnnxGraph(nodes, initializers, outputs);
    }

    private static Node node(ProtoReader n) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        Map<String, Float> floats = new LinkedHashMap<>();
        Map<String, Long> ints = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        while (n.next()) {
            switch (n.field()) {
                case 1 -> inputs.add(n.string());
                case 2 -> outputs.add(n.string());
                case 3 -> name = n.string();
                case 4 -> opType = n.string();
                case 5 -> attribute(n.message(), floats, ints, tensors);
                default -> n.skip();
            }
        }
        return new Node(opType, name, inputs, outputs, floats, ints, tensors);
    }

    private static void attribute(ProtoReader a, Map<String, Float> floats, Map<String, Long> ints,
            Map<String, Tensor> tensors) throws IOException {
        String name = null;
        Float f = null;
        Long i = null;
        Tensor t = null;
        while (a.next()) {
            switch (a.field()) {
                case 1 -> name = a.string();                                          // AttributeProto.name
                case 2 -> f = Float.intBitsToFloat(a.fixed32());                      // .f
                case 3 -> i = a.varint();                                              // .i
                case 5 -> t = tensor(a.message());                                    // .t
                default -> a.skip();
            }
        }
        if (name != null && f != null) {
            floats.put(name, f);
        }
        if (name != null && i != null) {
            ints.put(name, i);
        }
        if (name != null && t != null) {
            tensors.put(name, t);
        }
    }

    private static String valueInfoName(ProtoReader v) throws IOException {
        while (v.next()) {
            if (v.field() == 1) {
                return v.string();
            }
            v.skip();
        }
        return "";
    }

    private static Tensor tensor(ProtoReader t) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        long[] raw = null;
        List<Float> floatData = new ArrayList<>();
        List<Long> longData = new ArrayList<>();
        List<Double> doubleData = new ArrayList<>();
        boolean external = false;
        while (t.next()) {
            switch (t.field()) {
                case 1 -> readLongs(t, dims);                                        // dims
                case 2 -> dataType = (int) t.varint();                               // data_type
                case 4 -> {                                                          // float_data
                    if (t.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = t.message();
                        while (!packed.atEnd()) {
                            floatData.add(Float.intBitsToFloat(packed.fixed32()));
                        }
                    } else {
                        floatData.add(Float.intBitsToFloat(t.fixed32()));
                    }
                }
                case 5, 7 -> readLongs(t, longData);                                 // int32_data, int64_data
                case 8 -> name = t.string();                                         // name
                case 9 -> raw = t.span();                                            // raw_data
                case 10 -> {                                                         // double_data
                    if (t.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ByteBuffer b = ByteBuffer.wrap(t.array()).order(ByteOrder.LITTLE_ENDIAN);
                        long[] s = t.span();
                        for (long i = 0; i < s[1]; i += 8) {
                            doubleData.add(b.getDouble((int) (s[0] + i)));
                        }
                    } else {
                        t.skip();
                    }
                }
                case 14 -> external = t.varint() == 1;                               // data_location
                default -> t.skip();
            }
        }
        if (external) {
            throw new IOException("tensor " + name + " is stored outside the .onnx file (external data): unsupported");
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IOException("tensor " + name + " is too large");
        }
        int n = (int) count;
        ByteBuffer bytes = raw == null ? null
                : ByteBuffer.wrap(t.array(), (int) raw[0], (int) raw[1]).slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dataType) {
            case FLOAT, DOUBLE -> {
                float[] values = new float[n];
                if (bytes != null) {
                    int width = dataType == FLOAT ? 4 : 8;
                    checkLength(name, bytes.remaining(), (long) n * width);
                    for (int i = 0; i < n; i++) {
                        values[i] = dataType == FLOAT ? bytes.getFloat(i * 4) : (float) bytes.getDouble(i * 8);
                    }
                } else {
                    List<? extends Number> list = dataType == FLOAT ? floatData : doubleData;
                    checkLength(name, list.size(), n);
                    for (int i = 0; i < n; i++) {
                        values[i] = list.get(i).floatValue();
                    }
                }
                return new Tensor(name, shape, dataType, values, null);
            }
            case INT32, INT64 -> {
                long[] values = new long[n];
                if (bytes != null) {
                    int width = dataType == INT64 ? 8 : 4;
                    checkLength(name, bytes.remaining(), (long) n * width);
                    for (int i = 0; i < n; i++) {
                        values[i] = dataType == INT64 ? bytes.getLong(i * 8) : bytes.getInt(i * 4);
                    }
                } else {
                    checkLength(name, longData.size(), n);
                    for (int i = 0; i < n; i++) {
                        values[i] = longData.get(i);
                    }
                }
                return new Tensor(name, shape, dataType, null, values);
            }
            default -> {
                // Other types (bool, strings, F16 weights of a quantised export) are kept as shape only.
                return new Tensor(name, shape, dataType, null, null);
            }
        }
    }

    private static void readLongs(ProtoReader t, List<Long> into) throws IOException {
        if (t.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = t.message();
            while (!packed.atEnd()) {
                into.add(packed.varint());
            }
        } else {
            into.add(t.varint());
        }
    }

    private static void checkLength(String name, long actual, long expected) throws IOException {
        if (actual != expected) {
            throw new IOException("tensor " + name + " holds " + actual + " values/bytes, its shape needs " + expected);
        }
    }
}
