package org.lfssd.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), plain or gzip-compressed.
 *
 * <p>Format: two zero bytes, a type byte, a dimension count {@code d}, then {@code d} big-endian 32-bit
 * dimensions, then the elements in row-major order. Only the unsigned-byte type ({@code 0x08}) is accepted,
 * since it is the one every MNIST-family file uses. Gzip is recognised by its magic bytes, not by the file
 * name, so a renamed file still works.
 *
 * <p>The input must hold exactly one array: bytes after the elements are an error, and compressed input is
 * read to its end so that gzip's CRC-32 and length trailer are checked (a corrupted {@code .gz} fails
 * instead of yielding wrong pixels). Every error names the source. Compressed bytes after the last gzip
 * member that do not form another member are ignored, as {@code gzip -d} does (with a warning) and
 * {@link GZIPInputStream} does.
 */
public final class IdxReader {
    private IdxReader() {}

    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** Generous bound on the rank; real files have 1 (labels) or 3 (images). */
    private static final int MAX_DIMS = 8;
    private static final int BUFFER_BYTES = 1 << 16;

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
     * Reads one IDX array from {@code in} (which is not closed) up to its end; {@code source} names the
     * stream in error messages.
     *
     * @param in     the stream, positioned at the IDX magic number
     * @param source a name for error messages
     * @return the array
     * @throws IOException if the stream cannot be read or is not a valid IDX file
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        Reader r = new Reader(source, gzip);
        // Built inside the error translation: the constructor already reads and checks the gzip header.
        InputStream raw = gzip ? r.guard("gzip header", () -> new GZIPInputStream(buffered, BUFFER_BYTES)) : buffered;

        ByteBuffer magicBytes = ByteBuffer.wrap(r.readExactly(raw, 4, "IDX header"));
        int magic = magicBytes.getInt();
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
        ByteBuffer dimBytes = ByteBuffer.wrap(r.readExactly(raw, 4 * rank, "IDX header"));
        int[] dims = new int[rank];
        boolean empty = false;
        for (int i = 0; i < rank; i++) {
            dims[i] = dimBytes.getInt();
            if (dims[i] < 0) {
                throw new IOException(source + ": negative IDX dimension " + dims[i]);
            }
            empty |= dims[i] == 0;
        }
        // A zero dimension makes the array empty whatever the others are, so check it before the product.
        long count = empty ? 0 : 1;
        for (int i = 0; i < rank && count > 0; i++) {
            count *= dims[i]; // cannot overflow: count <= 2^31 before the check below
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(source + ": IDX array of dimensions " + Arrays.toString(dims)
                        + " is too large for one Java array");
            }
        }
        byte[] elements = r.readExactly(raw, (int) count, "IDX data");
        r.requireEnd(raw);
        return new IdxArray(dims, elements, source);
    }

    /** Reads with every stream failure translated into an error that names the source and what was being read. */
    private static final class Reader {
        private final String source;
        private final boolean gzip;

        Reader(String source, boolean gzip) {
            this.source = source;
            this.gzip = gzip;
        }

        interface Read<T> {
            T run() throws IOException;
        }

        <T> T guard(String what, Read<T> read) throws IOException {
            try {
                return read.run();
            } catch (EOFException e) {
                // readNBytes reports a short plain read by its count, so an EOFException comes from the
                // gzip layer: the compressed stream ended before its end-of-stream marker.
                throw new IOException(source + ": truncated gzip data (the compressed stream ends early, while reading the "
                        + what + ")", e);
            } catch (ZipException e) {
                throw new IOException(source + ": corrupt gzip data while reading the " + what + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new IOException(source + ": read failed in the " + what + ": " + e, e);
            }
        }

        byte[] readExactly(InputStream in, int n, String what) throws IOException {
            byte[] b = guard(what, () -> in.readNBytes(n));
            if (b.length != n) {
                if (what.equals("IDX data")) {
                    throw new IOException(source + ": truncated IDX file: expected " + n + " data bytes, got " + b.length);
                }
                throw new IOException(source + ": truncated " + what + ": expected " + n + " bytes, got " + b.length
                        + (gzip ? " (the decompressed data ends early)" : ""));
            }
            return b;
        }

        /** Reading on to the end makes GZIPInputStream check its CRC-32 and size trailer. */
        void requireEnd(InputStream in) throws IOException {
            long extra = guard("end of the data", () -> in.transferTo(OutputStream.nullOutputStream()));
            if (extra != 0) {
                throw new IOException(source + ": " + extra + " unexpected " + (gzip ? "decompressed " : "")
                        + "byte(s) after the IDX data");
            }
        }
    }
}
