package org.lfssd.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.lfssd.tensor.Tensor;

/**
 * Writes safetensors files: compact JSON header padded with spaces to a multiple of 8 bytes (as the
 * Python library does, so the data section starts 8-aligned), then each tensor's bytes in map order.
 */
final class SafeTensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    /** Staging buffer for converted elements; large enough to keep system calls rare. */
    private static final int BUFFER_BYTES = 1 << 20;

    private SafeTensorsWriter() {}

    static void write(Path file, Map<String, Tensor> tensors, Map<String, DType> dtypes, Map<String, String> metadata)
            throws IOException {
        validate(tensors, dtypes, metadata);
        byte[] header = header(tensors, dtypes, metadata);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length);
            drain(out, buf);
            writeFully(out, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                writeData(out, buf, e.getValue(), dtypes.getOrDefault(e.getKey(), DType.F32));
            }
            drain(out, buf);
        }
    }

    private static void validate(Map<String, Tensor> tensors, Map<String, DType> dtypes, Map<String, String> metadata) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || e.getValue() == null) {
                throw new IllegalArgumentException("safetensors write: null tensor name or tensor (name " + name + ")");
            }
            if (SafeTensorsHeader.METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("safetensors write: '" + name + "' is reserved and cannot name a tensor");
            }
        }
        for (Map.Entry<String, DType> e : dtypes.entrySet()) {
            if (!tensors.containsKey(e.getKey())) {
                throw new IllegalArgumentException("safetensors write: dtype given for '" + e.getKey()
                        + "', which is not among the tensors");
            }
            DType t = e.getValue();
            if (t != DType.F32 && t != DType.F16 && t != DType.BF16 && t != DType.I64) {
                throw new IllegalArgumentException("safetensors write: tensor '" + e.getKey() + "': unsupported dtype " + t
                        + " (writable: F32, F16, BF16, I64)");
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("safetensors write: null metadata key or value (key " + e.getKey() + ")");
            }
        }
        for (Map.Entry<String, DType> e : dtypes.entrySet()) {
            if (e.getValue() == DType.I64) {
                requireIntegral(e.getKey(), tensors.get(e.getKey()));
            }
        }
    }

    /** I64 stores integers; silently truncating 2.5 to 2 would corrupt labels or indices. */
    private static void requireIntegral(String name, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < t.numel(); i++) {
            float v = d[t.offset() + i];
            if (!Float.isFinite(v) || v != Math.rint(v)) {
                throw new IllegalArgumentException("safetensors write: tensor '" + name + "' as I64: element " + i
                        + " is " + v + ", not an integer");
            }
        }
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, DType> dtypes, Map<String, String> metadata)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafeTensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                DType t = dtypes.getOrDefault(e.getKey(), DType.F32);
                long end = offset + (long) e.getValue().numel() * t.byteSize();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", t.headerName());
                g.writeArrayFieldStart("shape");
                for (int d : e.getValue().shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(end);
                g.writeEndArray();
                g.writeEndObject();
                offset = end;
            }
            g.writeEndObject();
        }
        byte[] json = bytes.toByteArray();
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel out, ByteBuffer buf, Tensor t, DType dtype) throws IOException {
        float[] d = t.data();
        int base = t.offset();
        int n = t.numel();
        int size = dtype.byteSize();
        if (dtype == DType.F32) {
            // Bulk copies: float32 is stored as is, only byte order matters (the buffer is little-endian).
            for (int i = 0; i < n; ) {
                if (buf.remaining() < size) {
                    drain(out, buf);
                }
                int count = Math.min(buf.remaining() / size, n - i);
                buf.asFloatBuffer().put(d, base + i, count);
                buf.position(buf.position() + count * size);
                i += count;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < size) {
                drain(out, buf);
            }
            float v = d[base + i];
            switch (dtype) {
                case F16:
                    buf.putShort(HalfFloats.floatToHalf(v));
                    break;
                case BF16:
                    buf.putShort(HalfFloats.floatToBf16(v));
                    break;
                case I64:
                    buf.putLong((long) v);
                    break;
                default:
                    throw new IllegalStateException("no conversion to " + dtype);
            }
        }
    }

    private static void drain(FileChannel out, ByteBuffer buf) throws IOException {
        buf.flip();
        writeFully(out, buf);
        buf.clear();
    }

    private static void writeFully(FileChannel out, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            out.write(src);
        }
    }
}
