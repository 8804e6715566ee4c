package org.lfssd.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lfssd.tensor.Tensor;

/**
 * Writes safetensors files: compact JSON header padded with spaces to a multiple of 8 bytes (as the
 * Python library does, so the data section starts 8-aligned), then each tensor's bytes in map order.
 *
 * <p>Saving is atomic (see {@link AtomicFileWrite}): a crash or a full disk leaves the previous file intact.
 * Whatever the reader would refuse (over-long names or metadata, an oversized header, I64 values beyond
 * 2^24, strings without a UTF-8 encoding) is refused here, before anything is written, so this library never
 * writes a file it cannot read back. Narrowing to F16/BF16 that overflows to infinity or flushes non-zero
 * values to zero is logged as a WARNING with the counts.
 */
final class SafeTensorsWriter {
    private static final Logger LOG = System.getLogger(SafeTensorsWriter.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    /** Staging buffer for converted elements; large enough to keep system calls rare. */
    private static final int BUFFER_BYTES = 1 << 20;

    private SafeTensorsWriter() {}

    static void write(Path file, Map<String, Tensor> tensors, Map<String, DType> dtypes, Map<String, String> metadata)
            throws IOException {
        validate(tensors, dtypes, metadata);
        byte[] header = header(tensors, dtypes, metadata);
        // Refused here rather than by every reader later (this library's, and the reference's bound).
        if (header.length > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors write to " + file + ": the header of " + tensors.size()
                    + " tensors and " + metadata.size() + " metadata entries takes " + header.length
                    + " bytes, more than the " + SafeTensorsHeader.MAX_HEADER_BYTES + "-byte limit readers enforce");
        }
        List<String> lossy = new ArrayList<>();
        AtomicFileWrite.replace(file, out -> {
            lossy.clear(); // content is written once, but keep the report exact if that ever changes
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length);
            drain(out, buf);
            writeFully(out, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                DType dtype = dtypes.getOrDefault(e.getKey(), DType.F32);
                String loss = writeData(out, buf, e.getValue(), dtype);
                if (loss != null) {
                    lossy.add("'" + e.getKey() + "' as " + dtype + ": " + loss);
                }
            }
            drain(out, buf);
        });
        if (!lossy.isEmpty()) {
            LOG.log(Level.WARNING, "saved " + file + ", but narrowing changed values beyond rounding in " + lossy.size()
                    + " tensor(s): " + String.join("; ", lossy));
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
            requireReadableString("tensor name", name, SafeTensorsHeader.MAX_NAME_CHARS);
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
            requireReadableString("metadata key", e.getKey(), SafeTensorsHeader.MAX_NAME_CHARS);
            requireReadableString("metadata value of '" + abbreviate(e.getKey()) + "'", e.getValue(),
                    SafeTensorsHeader.MAX_STRING_CHARS);
        }
        for (Map.Entry<String, DType> e : dtypes.entrySet()) {
            if (e.getValue() == DType.I64) {
                requireIntegral(e.getKey(), tensors.get(e.getKey()));
            }
        }
    }

    /**
     * A string the header reader accepts: at most {@code maxChars} UTF-16 units (the reader's JSON limits)
     * and well-formed UTF-16, since a lone surrogate has no UTF-8 encoding and would not read back.
     */
    private static void requireReadableString(String what, String s, int maxChars) {
        if (s.length() > maxChars) {
            throw new IllegalArgumentException("safetensors write: " + what + " '" + abbreviate(s) + "' has " + s.length()
                    + " characters, more than the " + maxChars + " the header reader accepts");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("safetensors write: " + what + " '" + abbreviate(s)
                        + "' holds a lone UTF-16 surrogate at index " + i + ", which has no UTF-8 encoding");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    /**
     * I64 stores integers; silently truncating 2.5 to 2 would corrupt labels or indices. Beyond 2^24 a
     * float32 no longer holds consecutive integers and the reader refuses the value, so the writer does too
     * (a cast would also turn 1e30 into Long.MAX_VALUE).
     */
    private static void requireIntegral(String name, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < t.numel(); i++) {
            float v = d[t.offset() + i];
            if (!Float.isFinite(v) || v != Math.rint(v)) {
                throw new IllegalArgumentException("safetensors write: tensor '" + name + "' as I64: element " + i
                        + " is " + v + ", not an integer");
            }
            if (Math.abs(v) > SafeTensorsFile.I64_EXACT_LIMIT) {
                throw new IllegalArgumentException("safetensors write: tensor '" + name + "' as I64: element " + i
                        + " is " + v + ", beyond the 2^24 up to which float32 holds integers exactly (the reader refuses it)");
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

    /**
     * Writes one tensor's elements; returns what narrowing to F16/BF16 changed beyond rounding (finite values
     * that became infinite, non-zero values that became zero), or null if nothing.
     */
    private static String writeData(FileChannel out, ByteBuffer buf, Tensor t, DType dtype) throws IOException {
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
            return null;
        }
        long overflowed = 0;
        long flushed = 0;
        float largestOverflowed = 0f;
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < size) {
                drain(out, buf);
            }
            float v = d[base + i];
            float back;
            switch (dtype) {
                case F16: {
                    short h = HalfFloats.floatToHalf(v);
                    buf.putShort(h);
                    back = HalfFloats.halfToFloat(h);
                    break;
                }
                case BF16: {
                    short b = HalfFloats.floatToBf16(v);
                    buf.putShort(b);
                    back = HalfFloats.bf16ToFloat(b);
                    break;
                }
                case I64:
                    buf.putLong((long) v);
                    back = v;
                    break;
                default:
                    throw new IllegalStateException("no conversion to " + dtype);
            }
            if (Float.isFinite(v) && Float.isInfinite(back)) {
                overflowed++;
                largestOverflowed = Math.max(largestOverflowed, Math.abs(v));
            } else if (v != 0f && back == 0f) {
                flushed++;
            }
        }
        if (overflowed == 0 && flushed == 0) {
            return null;
        }
        List<String> parts = new ArrayList<>(2);
        if (overflowed > 0) {
            parts.add(overflowed + " finite value(s) became infinite (largest |v| " + largestOverflowed + ")");
        }
        if (flushed > 0) {
            parts.add(flushed + " non-zero value(s) became zero");
        }
        return String.join(", ", parts) + " of " + n;
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
