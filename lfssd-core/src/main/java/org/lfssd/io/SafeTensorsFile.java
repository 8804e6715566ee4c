package org.lfssd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.tensor.Tensor;

/**
 * An open safetensors file whose header has been validated and whose tensors are read on demand.
 *
 * <p>Each {@link #tensor} call memory-maps just that tensor's bytes and converts them into a fresh
 * float32 {@link Tensor}, so a large checkpoint is never read whole and a file over 2 GiB is fine. A
 * single mapping cannot exceed 2 GiB, so a tensor larger than that is mapped in several element-aligned
 * windows. Thread-safe: mappings are independent and the header is immutable. Close the file when done.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Largest single mapping: the biggest multiple of 8 (every element size divides it) a buffer can index. */
    static final long MAX_MAPPING_BYTES = Integer.MAX_VALUE & ~7L;
    /** Largest element count a {@link Tensor} holds (a Java array, less the VM's header reserve). */
    private static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8L;
    static final long I64_EXACT_LIMIT = 1L << 24;

    private final Path file;
    private final FileChannel channel;
    private final SafeTensorsHeader header;
    private final Map<String, TensorInfo> byName;
    private final long mappingBytes;
    /** The size validated at open; a different size later means the file was changed under us. */
    private final long size;
    private volatile boolean closed;

    private SafeTensorsFile(Path file, FileChannel channel, SafeTensorsHeader header, long mappingBytes, long size) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.mappingBytes = mappingBytes;
        this.size = size;
        this.byName = header.byName();
    }

    /** Opens and validates {@code file}; see {@link SafeTensors#open}. */
    static SafeTensorsFile open(Path file) throws IOException {
        return open(file, MAX_MAPPING_BYTES);
    }

    /** As {@link #open(Path)}, with a smaller mapping window so tests can exercise the multi-window path. */
    static SafeTensorsFile open(Path file, long mappingBytes) throws IOException {
        if (mappingBytes < 8 || mappingBytes > MAX_MAPPING_BYTES || mappingBytes % 8 != 0) {
            throw new IllegalArgumentException("mapping window must be a multiple of 8 in [8, " + MAX_MAPPING_BYTES
                    + "], got " + mappingBytes);
        }
        if (Files.isDirectory(file)) {
            throw new SafeTensorsException(file, "is a directory, not a safetensors file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            return new SafeTensorsFile(file, channel, SafeTensorsHeader.read(file, channel), mappingBytes, size);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The file this was opened from.
     *
     * @return the path
     */
    public Path path() {
        return file;
    }

    /**
     * Tensor names in file (data offset) order.
     *
     * @return the names
     */
    public List<String> names() {
        List<String> names = new ArrayList<>(header.tensors().size());
        for (TensorInfo t : header.tensors()) {
            names.add(t.name());
        }
        return names;
    }

    /**
     * The {@code __metadata__} map, empty if the header has none.
     *
     * @return the metadata
     */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * Whether the file holds a tensor called {@code name}.
     *
     * @param name a tensor name
     * @return true if present
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The header entry of {@code name}.
     *
     * @param name a tensor name
     * @return its dtype, shape and data range
     */
    public TensorInfo info(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": no tensor named '" + name + "' (the file holds "
                    + byName.size() + " tensors)");
        }
        return t;
    }

    /**
     * Reads tensor {@code name} as float32: F32 as is, F16 and BF16 widened exactly, I64 converted when
     * {@code |v| <= 2^24} (beyond that float32 would silently change the value, so it is an error).
     *
     * @param name a tensor name
     * @return a new float32 tensor
     * @throws IOException if the data cannot be read or converted
     */
    public Tensor tensor(String name) throws IOException {
        TensorInfo t = info(name);
        if (closed) {
            throw new IllegalStateException(file + ": read of tensor '" + name + "' after close()");
        }
        if (!t.dtype().isConvertible()) {
            throw new SafeTensorsException(file, name, "unsupported dtype " + t.dtype()
                    + " (readable: F32, F16, BF16, I64)");
        }
        if (t.numel() > MAX_TENSOR_ELEMENTS) {
            throw new SafeTensorsException(file, name, t.numel() + " elements exceed what a Java float[] holds");
        }
        int numel = (int) t.numel();
        float[] out = new float[numel];
        int elementBytes = t.dtype().byteSize();
        long window = mappingBytes - mappingBytes % elementBytes;
        long position = header.dataStart() + t.begin();
        int done = 0;
        while (done < numel) {
            int count = (int) Math.min(numel - done, window / elementBytes);
            long bytes = (long) count * elementBytes;
            requireUnchangedSize(name);
            try {
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, bytes);
                mapped.order(ByteOrder.LITTLE_ENDIAN);
                convert(t, mapped, out, done, count);
            } catch (InternalError e) {
                // A mapped page whose file part was cut off raises SIGBUS, which the VM turns into an
                // InternalError; it must not escape as if the VM were broken.
                throw new SafeTensorsException(file, name, "bytes [" + position + ", " + (position + bytes)
                        + ") became unreadable while being read: the file was truncated or rewritten in place by"
                        + " another program (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                if (e instanceof SafeTensorsException) {
                    throw e;
                }
                throw new SafeTensorsException(file, name, "cannot map bytes [" + position + ", " + (position + bytes)
                        + "): " + e, e);
            }
            done += count;
            position += bytes;
        }
        return Tensor.wrap(out, 0, t.shape());
    }

    /**
     * Our own saves replace files by an atomic rename, which leaves this open file intact; a different size
     * means another program rewrote the file in place, and its bytes can no longer be trusted.
     */
    private void requireUnchangedSize(String name) throws IOException {
        long now = channel.size();
        if (now != size) {
            throw new SafeTensorsException(file, name, "the file changed size from " + size + " to " + now
                    + " bytes since it was opened (rewritten in place by another program?); reopen it");
        }
    }

    private void convert(TensorInfo t, ByteBuffer src, float[] dst, int dstOffset, int count) throws SafeTensorsException {
        switch (t.dtype()) {
            case F32:
                src.asFloatBuffer().get(dst, dstOffset, count);
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = HalfFloats.halfToFloat(src.getShort(2 * i));
                }
                break;
            case BF16:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = HalfFloats.bf16ToFloat(src.getShort(2 * i));
                }
                break;
            case I64:
                for (int i = 0; i < count; i++) {
                    long v = src.getLong(8 * i);
                    if (v > I64_EXACT_LIMIT || v < -I64_EXACT_LIMIT) {
                        throw new SafeTensorsException(file, t.name(), "I64 value " + v + " at element " + (dstOffset + i)
                                + " is beyond 2^24 and has no exact float32");
                    }
                    dst[dstOffset + i] = v;
                }
                break;
            default:
                throw new IllegalStateException("no conversion for " + t.dtype());
        }
    }

    /** Every tensor, in file order. */
    Map<String, Tensor> readAll() throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors()) {
            out.put(t.name(), tensor(t.name()));
        }
        return out;
    }

    /** Closes the channel; tensors already read stay valid (they are heap copies). */
    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }
}
