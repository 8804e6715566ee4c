package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** Two 2x3 images with bytes 0..11 (and 255 at the very end to check unsigned reading). */
    static byte[] imagesIdx() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(2);
        out.writeInt(2);
        out.writeInt(3);
        for (int i = 0; i < 11; i++) {
            out.writeByte(i);
        }
        out.writeByte(255);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzipIdentically() throws IOException {
        Path plain = Files.write(dir.resolve("images-idx3-ubyte"), imagesIdx());
        // Gzip is detected by content, so a misleading name does not matter.
        Path gz = Files.write(dir.resolve("images-renamed"), gzip(imagesIdx()));
        for (Path p : new Path[] {plain, gz}) {
            IdxArray a = IdxReader.read(p);
            assertArrayEquals(new int[] {2, 2, 3}, a.dims());
            assertEquals(2, a.count());
            Tensor images = a.toImages();
            assertArrayEquals(new int[] {2, 1, 2, 3}, images.shape());
            assertEquals(10 / 255f, images.get(1, 0, 1, 1));
            assertEquals(1f, images.get(1, 0, 1, 2));
        }
    }

    @Test
    void readsLabels() throws IOException {
        byte[] raw = {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9};
        int[] labels = IdxReader.read(Files.write(dir.resolve("labels"), raw)).toLabels();
        assertArrayEquals(new int[] {7, 0, 9}, labels);
    }

    @Test
    void badMagicNamesTheFile() throws IOException {
        byte[] raw = imagesIdx();
        raw[0] = 0x12;
        Path p = Files.write(dir.resolve("broken.idx"), raw);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("broken.idx") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void unsupportedTypeIsRejected() throws IOException {
        byte[] raw = imagesIdx();
        raw[2] = 0x0D; // float
        Path p = Files.write(dir.resolve("floats.idx"), raw);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("floats.idx") && e.getMessage().contains("0xd"), e.getMessage());
    }

    @Test
    void truncationNamesTheFileAndTheShortfall() throws IOException {
        byte[] raw = imagesIdx();
        Path data = Files.write(dir.resolve("short-data.gz"), gzip(Arrays.copyOf(raw, raw.length - 5)));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(data));
        assertTrue(e.getMessage().contains("short-data.gz") && e.getMessage().contains("expected 12 data bytes, got 7"),
                e.getMessage());
        Path header = Files.write(dir.resolve("short-header"), Arrays.copyOf(raw, 9));
        e = assertThrows(IOException.class, () -> IdxReader.read(header));
        assertTrue(e.getMessage().contains("short-header") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongRankForImagesOrLabels() throws IOException {
        IdxArray a = IdxReader.read(Files.write(dir.resolve("img"), imagesIdx()));
        assertThrows(IllegalArgumentException.class, a::toLabels);
    }

    /** Regression: only the expected bytes were read, so gzip's CRC trailer was never checked. */
    @Test
    void corruptedGzipIsRejectedByItsChecksum() throws IOException {
        byte[] gz = gzip(imagesIdx());
        // Flip a bit of the stored CRC-32 (the trailer is CRC-32 then size, 4 bytes each).
        gz[gz.length - 8] ^= 0x01;
        Path p = Files.write(dir.resolve("bad-crc.gz"), gz);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("bad-crc.gz") && e.getMessage().contains("corrupt gzip"), e.getMessage());
        // And the stored size.
        byte[] size = gzip(imagesIdx());
        size[size.length - 1] ^= 0x01;
        Path q = Files.write(dir.resolve("bad-size.gz"), size);
        e = assertThrows(IOException.class, () -> IdxReader.read(q));
        assertTrue(e.getMessage().contains("bad-size.gz"), e.getMessage());
    }

    /** Regression: the GZIPInputStream was built outside the try, so a bad gzip header lost the file name. */
    @Test
    void aBrokenGzipHeaderNamesTheFile() throws IOException {
        byte[] gz = gzip(imagesIdx());
        gz[2] = 7; // compression method: only 8 (deflate) exists
        Path p = Files.write(dir.resolve("bad-method.gz"), gz);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("bad-method.gz") && e.getMessage().contains("gzip"), e.getMessage());
        Path stub = Files.write(dir.resolve("stub.gz"), new byte[] {0x1f, (byte) 0x8b, 8});
        e = assertThrows(IOException.class, () -> IdxReader.read(stub));
        assertTrue(e.getMessage().contains("stub.gz") && e.getMessage().contains("gzip"), e.getMessage());
    }

    /** Regression: truncated compressed data was reported as a "truncated IDX header". */
    @Test
    void truncatedGzipIsReportedAsSuch() throws IOException {
        byte[] gz = gzip(imagesIdx());
        for (int keep : new int[] {12, gz.length - 9, gz.length - 1}) {
            Path p = Files.write(dir.resolve("cut-" + keep + ".gz"), Arrays.copyOf(gz, keep));
            IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
            assertTrue(e.getMessage().contains("cut-" + keep + ".gz") && e.getMessage().contains("gzip"), e.getMessage());
            assertTrue(!e.getMessage().contains("truncated IDX header"), e.getMessage());
        }
    }

    /** Regression: bytes after the elements of a plain file were silently ignored. */
    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] raw = Arrays.copyOf(imagesIdx(), imagesIdx().length + 3);
        Path p = Files.write(dir.resolve("trailing.idx"), raw);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("trailing.idx") && e.getMessage().contains("3 unexpected byte(s)"), e.getMessage());
        Path g = Files.write(dir.resolve("trailing.gz"), gzip(raw));
        e = assertThrows(IOException.class, () -> IdxReader.read(g));
        assertTrue(e.getMessage().contains("trailing.gz") && e.getMessage().contains("3 unexpected decompressed"),
                e.getMessage());
    }

    @Test
    void anEmptyArrayWithLargeDimensionsIsRead() throws IOException {
        byte[] raw = {0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        IdxArray a = IdxReader.read(Files.write(dir.resolve("empty.idx"), raw));
        assertArrayEquals(new int[] {65536, 65536, 0}, a.dims());
        assertEquals(0, a.data().length);
    }
}
