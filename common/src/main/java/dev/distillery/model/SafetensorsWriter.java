package dev.distillery.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.messages.MessageCodec;

/**
 * Writes F32 tensors as {@code .safetensors} with sorted keys and a {@code __metadata__} entry, so the same tensors
 * always give the same bytes (and the same sha256). DJL's own encoder writes neither.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    public static void write(Path file, SortedMap<String, FloatTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = MessageCodec.mapper().createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        new java.util.TreeMap<>(metadata).forEach(meta::put);
        long offset = 0;
        Map<String, FloatTensor> ordered = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, FloatTensor> e : ordered.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = MessageCodec.mapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        // The data section must start 8-byte aligned; the format pads the header with spaces.
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            headerBytes[i] = ' ';
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (FloatTensor t : ordered.values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
        }
    }
}
