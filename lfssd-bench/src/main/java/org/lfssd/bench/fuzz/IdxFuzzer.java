package org.lfssd.bench.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.lfssd.data.IdxArray;
import org.lfssd.data.IdxReader;

/**
 * Fuzzes the IDX reader with mutations of valid plain and gzip-compressed arrays (labels, images, an
 * empty array with large dimensions).
 *
 * <p>Oracle: reading either succeeds or fails with an {@link IOException} naming the source; anything else
 * fails. An accepted plain input must equal an independent decoding of its bytes. An accepted gzip input
 * must hold exactly the array of one of the two seeds it was made from: a corrupted stream that decodes to
 * anything else could only pass the CRC-32 by a 2^-32 accident, so it means the checksum was not checked.
 */
public final class IdxFuzzer {
    private static final String SOURCE = "fuzz-input.idx";

    private final List<byte[]> plain = new ArrayList<>();
    private final List<byte[]> encoded = new ArrayList<>();

    public IdxFuzzer() throws IOException {
        SplittableRandom rng = new SplittableRandom(2);
        for (int[] dims : new int[][] {{7}, {3, 4, 5}, {2, 28, 28}, {65536, 65536, 0}, {1, 1}}) {
            byte[] idx = idx(dims, rng);
            plain.add(idx);
            encoded.add(idx);
            plain.add(idx);
            encoded.add(gzip(idx));
        }
    }

    /** Number of valid seed inputs (plain and gzip). */
    public int corpusSize() {
        return encoded.size();
    }

    /** As {@link SafeTensorsFuzzer#run}. */
    public FuzzReport run(long seed, long maxInputs, long deadlineNanos) {
        FuzzReport report = new FuzzReport("IDX reader (seed " + seed + ")");
        SplittableRandom master = new SplittableRandom(seed);
        for (long i = 0; i < maxInputs && System.nanoTime() < deadlineNanos; i++) {
            SplittableRandom rng = master.split();
            int a = rng.nextInt(encoded.size());
            int b = rng.nextInt(encoded.size());
            byte[] input = Mutator.mutate(encoded.get(a), encoded.get(b), rng);
            long t0 = System.nanoTime();
            String problem = null;
            boolean accepted = false;
            try {
                IdxArray read = IdxReader.read(new ByteArrayInputStream(input), SOURCE);
                accepted = true;
                problem = checkAccepted(input, read, plain.get(a), plain.get(b));
            } catch (IOException e) {
                if (e.getMessage() == null || !e.getMessage().contains(SOURCE)) {
                    problem = "error without the source name: " + e;
                }
            } catch (Throwable e) {
                problem = "unexpected " + e;
            }
            long nanos = System.nanoTime() - t0;
            if (problem != null) {
                report.failed(nanos, "iteration " + i + ": " + problem + "; input "
                        + java.util.Base64.getEncoder().encodeToString(input));
            } else if (accepted) {
                report.accepted(nanos);
            } else {
                report.rejected(nanos);
            }
        }
        return report;
    }

    private static String checkAccepted(byte[] input, IdxArray read, byte[] seedA, byte[] seedB) {
        byte[] content = toBytes(read);
        boolean gzip = input.length >= 2 && input[0] == 0x1f && input[1] == (byte) 0x8b;
        if (gzip) {
            return Arrays.equals(content, seedA) || Arrays.equals(content, seedB) ? null
                    : "a gzip input decoded to content that matches neither seed (the CRC-32 was not checked)";
        }
        return Arrays.equals(content, input) ? null : "a plain input was read as something other than its bytes";
    }

    /** The IDX encoding of what was read (header and elements), to compare with the bytes it came from. */
    private static byte[] toBytes(IdxArray a) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * a.dims().length + a.data().length);
        b.putInt(0x0800 | a.dims().length);
        for (int d : a.dims()) {
            b.putInt(d);
        }
        return b.put(a.data()).array();
    }

    private static byte[] idx(int[] dims, SplittableRandom rng) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        byte[] data = new byte[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) rng.nextInt(256);
        }
        return toBytes(new IdxArray(dims, data, "seed"));
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }
}
