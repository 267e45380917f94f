package dev.distillery.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.messages.MessageCodec;

/**
 * Reads a {@code .safetensors} file (8-byte little-endian header length, JSON header, raw little-endian data) and
 * widens F16/BF16/F64 tensors to F32 in Java: BF16 arrays abort the JVM inside the PyTorch engine we use.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    public record Entry(String dtype, long[] shape, long begin, long end) {
    }

    private static final long MAX_HEADER = 100L << 20;

    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, len, 0);
            long headerLength = len.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > channel.size()) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode json = MessageCodec.mapper().readTree(new String(header.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            long dataSize = channel.size() - dataStart;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode v = field.getValue();
                if (field.getKey().equals("__metadata__")) {
                    v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode shapeNode = v.path("shape");
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                long begin = v.path("data_offsets").path(0).asLong(-1);
                long end = v.path("data_offsets").path(1).asLong(-1);
                String dtype = v.path("dtype").asText();
                if (begin < 0 || end < begin || end > dataSize) {
                    throw new IOException(file + ": tensor " + field.getKey() + " has bad data_offsets");
                }
                long count = 1;
                for (long d : shape) {
                    count *= d;
                }
                if (count * bytesPer(dtype) != end - begin) {
                    throw new IOException(file + ": tensor " + field.getKey() + " size does not match its shape");
                }
                entries.put(field.getKey(), new Entry(dtype, shape, begin, end));
            }
            return new SafetensorsFile(channel, dataStart, entries, metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException(file + ": unreadable safetensors header", e);
        }
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean isFloat(String name) {
        return switch (entries.get(name).dtype()) {
            case "F32", "F16", "BF16", "F64" -> true;
            default -> false;
        };
    }

    /** The tensor widened (or narrowed, for F64) to F32. */
    public FloatTensor read(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IOException("no tensor " + name);
        }
        long bytes = e.end() - e.begin();
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException("tensor " + name + " exceeds 2 GiB");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, buf, dataStart + e.begin());
        buf.flip();
        int n = (int) (bytes / bytesPer(e.dtype()));
        float[] out = new float[n];
        switch (e.dtype()) {
            case "F32" -> buf.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(buf.getShort());
                }
            }
            default -> throw new IOException("tensor " + name + " has non-float dtype " + e.dtype());
        }
        return new FloatTensor(e.shape(), out);
    }

    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static int bytesPer(String dtype) throws IOException {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> throw new IOException("unknown safetensors dtype " + dtype);
        };
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("safetensors file truncated");
            }
            pos += n;
        }
    }
}
