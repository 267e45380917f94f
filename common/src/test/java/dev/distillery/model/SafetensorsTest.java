package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void writerRoundTripsWithSortedKeysAndMetadata() throws IOException {
        TreeMap<String, FloatTensor> tensors = new TreeMap<>();
        tensors.put("b", new FloatTensor(new long[] {2, 2}, new float[] {1, -2, 3.5f, Float.MIN_VALUE}));
        tensors.put("a", new FloatTensor(new long[] {3}, new float[] {0, 1e30f, -0f}));
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data section aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals(true, header.indexOf("\"a\"") < header.indexOf("\"b\""), header);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(java.util.List.of("a", "b"), f.names());
            assertEquals("pt", f.metadata().get("format"));
            assertArrayEquals(tensors.get("a").data(), f.read("a").data());
            assertArrayEquals(tensors.get("b").data(), f.read("b").data());
            assertArrayEquals(new long[] {2, 2}, f.read("b").shape());
        }
    }

    @Test
    void f16AndBf16AreWidened() throws IOException {
        float[] values = {1f, -2.5f, 0.099975586f, 65504f};
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[8,16]}}";
        Path file = dir.resolve("half.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] h = json.getBytes(StandardCharsets.UTF_8);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                data.putShort(Float.floatToFloat16(v));
            }
            for (float v : values) {
                data.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
            }
            out.write(data.array());
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            float[] half = f.read("h").data();
            float[] brain = f.read("b").data();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), half[i]);
                assertEquals(Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0xffff0000), brain[i]);
            }
        }
    }

    @Test
    void truncatedOrLyingFilesAreRefused() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, new byte[] {1, 0, 0, 0});
        assertThrows(IOException.class, () -> SafetensorsFile.open(file));
        String json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(file, b.array()); // 8 data bytes where the header promises 16
        assertThrows(IOException.class, () -> SafetensorsFile.open(file));
    }
}
