package org.lfssd.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), plain or gzip-compressed.
 *
 * <p>Format: two zero bytes, a type byte, a dimension count {@code d}, then {@code d} big-endian 32-bit
 * dimensions, then the elements in row-major order. Only the unsigned-byte type ({@code 0x08}) is accepted,
 * since it is the one every MNIST-family file uses. Gzip is recognised by its magic bytes, not by the file
 * name, so a renamed file still works.
 */
public final class IdxReader {
    private IdxReader() {}

    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** Generous bound on the rank; real files have 1 (labels) or 3 (images). */
    private static final int MAX_DIMS = 8;

    /**
     * Reads the IDX file at {@code path}.
     *
     * @param path a plain or gzip-compressed ({@code .gz}) IDX file
     * @return the array
     * @throws IOException if the file cannot be read or is not a valid IDX file
     */
    public static IdxArray read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /**
     * Reads one IDX array from {@code in} (which is not closed); {@code source} names the stream in error
     * messages.
     *
     * @param in     the stream, positioned at the IDX magic number
     * @param source a name for error messages
     * @return the array
     * @throws IOException if the stream cannot be read or is not a valid IDX file
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream raw = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(raw);
        try {
            int magic = data.readInt();
            int zeros = magic >>> 16;
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if (zeros != 0) {
                throw new IOException(source + ": not an IDX file (bad magic number 0x" + Integer.toHexString(magic) + ")");
            }
            if (type != TYPE_UNSIGNED_BYTE) {
                throw new IOException(source + ": unsupported IDX element type 0x" + Integer.toHexString(type)
                        + " (only unsigned bytes, 0x08, are supported)");
            }
            if (rank < 1 || rank > MAX_DIMS) {
                throw new IOException(source + ": implausible IDX dimension count " + rank);
            }
            int[] dims = new int[rank];
            long count = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new IOException(source + ": negative IDX dimension " + dims[i]);
                }
                count *= dims[i];
                if (count > Integer.MAX_VALUE - 8) {
                    throw new IOException(source + ": IDX array too large for one Java array");
                }
            }
            byte[] elements = data.readNBytes((int) count);
            if (elements.length != count) {
                throw new IOException(source + ": truncated IDX file: expected " + count + " data bytes, got "
                        + elements.length);
            }
            return new IdxArray(dims, elements, source);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated IDX header", e);
        }
    }
}
