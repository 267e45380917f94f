package dev.distillery.base.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffers wire format (varints, length-delimited fields, fixed 32/64-bit values) over a byte array:
 * enough to walk an ONNX model without generated classes or a protobuf runtime on the services' classpath.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buffer;
    private int position;
    private final int limit;
    private int tag;

    ProtoReader(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
    }

    /** Advances to the next field; false at the end of this message. */
    boolean next() throws IOException {
        if (position >= limit) {
            return false;
        }
        tag = (int) varint();
        if (tag >>> 3 == 0) {
            throw new IOException("invalid protobuf field number 0 at byte " + position);
        }
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new IOException("truncated varint");
            }
            byte b = buffer[position++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IOException("malformed varint");
    }

    /** The current length-delimited field as a reader over its bytes (an embedded message or a packed array). */
    ProtoReader message() throws IOException {
        int length = length();
        ProtoReader inner = new ProtoReader(buffer, position, length);
        position += length;
        return inner;
    }

    String string() throws IOException {
        int length = length();
        String s = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** Offset and length of the current length-delimited field in the underlying array, skipping past it. */
    long[] span() throws IOException {
        int length = length();
        long[] span = {position, length};
        position += length;
        return span;
    }

    byte[] array() {
        return buffer;
    }

    boolean atEnd() {
        return position >= limit;
    }

    int fixed32() throws IOException {
        require(4);
        int v = (buffer[position] & 0xff) | (buffer[position + 1] & 0xff) << 8 | (buffer[position + 2] & 0xff) << 16
                | (buffer[position + 3] & 0xff) << 24;
        position += 4;
        return v;
    }

    void skip() throws IOException {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> {
                require(8);
                position += 8;
            }
            case LENGTH_DELIMITED -> {
                int length = length(); // read before adding: position moves past the length itself
                position += length;
            }
            case FIXED32 -> {
                require(4);
                position += 4;
            }
            default -> throw new IOException("unsupported protobuf wire type " + wireType());
        }
    }

    private int length() throws IOException {
        long length = varint();
        if (length < 0 || length > limit - position) {
            throw new IOException("protobuf field length " + length + " runs past its message");
        }
        return (int) length;
    }

    private void require(int bytes) throws IOException {
        if (limit - position < bytes) {
            throw new IOException("truncated protobuf message");
        }
    }
}
