package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The SIMD implicit GEMM against the scalar reference, bit for bit (both sum each element in the order
 * the interface fixes, one fused multiply-add per term), on odd sizes that leave partial row tiles,
 * partial column blocks and channel remainders, with negative tap offsets; on convolution-shaped
 * weight gradients; and at 1 vs 2 threads.
 */
class ImplicitGemmTest {

    /** Random row tables into an image of {@code imageSize} floats, leaving room for every tap. */
    private record Problem(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows, int outSize) {
        static Problem random(long seed, int m, int n, int k, int tapCount) {
            SplittableRandom r = new SplittableRandom(seed);
            int[] taps = new int[tapCount];
            for (int t = 0; t < tapCount; t++) {
                taps[t] = r.nextInt(-40, 40);
            }
            int image = 200 + m * 3 + k;
            float[] a = new float[image + 100 + k];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble(-1, 1);
            }
            int[] aRows = new int[m];
            for (int i = 0; i < m; i++) {
                aRows[i] = 50 + r.nextInt(image - 50);
            }
            float[] b = new float[Math.max(tapCount * k * n, m * n + 7)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextDouble(-1, 1);
            }
            int[] bRows = new int[m];
            for (int i = 0; i < m; i++) {
                bRows[i] = r.nextInt(m) * n + (i % 3);
            }
            return new Problem(m, n, k, a, aRows, taps, b, bRows, m * n);
        }

        int[] outRows() {
            int[] rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = (m - 1 - i) * n; // a permutation: rows need not be in order
            }
            return rows;
        }
    }

    private static float[] gather(ImplicitGemm g, Problem p) {
        float[] out = new float[p.outSize()];
        g.gather(p.m(), p.n(), p.k(), p.a(), p.aRows(), p.taps(), p.b(), out, p.outRows());
        return out;
    }

    private static float[] transposed(ImplicitGemm g, Problem p) {
        float[] out = new float[p.taps().length * p.k() * p.n()];
        g.gatherTransposed(p.m(), p.n(), p.k(), p.a(), p.aRows(), p.taps(), p.b(), p.bRows(), out);
        return out;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} taps={3}")
    @CsvSource({
        "1, 1, 1, 1", "13, 17, 5, 3", "12, 32, 4, 9", "37, 64, 13, 9", "25, 45, 16, 1", "300, 96, 7, 2",
        "5, 33, 3, 0", "600, 32, 12, 4", "30, 40, 150, 2", "27, 64, 130, 9", "19, 128, 70, 3", "7, 64, 5, 9", "9, 64, 0, 3",
    })
    void vectorMatchesScalarBitForBit(int m, int n, int k, int taps) {
        ImplicitGemm vector = FastKernels.vectorProvider().implicitGemm();
        ImplicitGemm scalar = new ScalarImplicitGemm();
        Problem p = Problem.random(m * 31L + n * 7L + k, m, n, k, taps);
        assertArrayEquals(gather(scalar, p), gather(vector, p), "gather");
        assertArrayEquals(transposed(scalar, p), transposed(vector, p), "gatherTransposed");
    }

    /**
     * A convolution's weight gradient laid out as direct convolution lays it out: a zero-bordered
     * channels-last image whose last window ends at its last float (so packing must not read past it),
     * windows of consecutive pixels, more rows than one chunk, depth tiles that cross taps or pass the
     * end of the depth, and columns that do not fill a block.
     */
    @ParameterizedTest(name = "images={0} channels={1} size={2} out={3} kernel={4} stride={5}")
    @CsvSource({
        "3, 64, 7, 64, 3, 1", "2, 8, 9, 40, 3, 2", "2, 4, 6, 64, 3, 1", "3, 20, 8, 96, 1, 2", "1, 128, 5, 32, 3, 1",
    })
    void convolutionShapedTransposedMatchesScalar(int images, int channels, int size, int outChannels, int kernel, int stride) {
        SplittableRandom r = new SplittableRandom(channels * 131L + size);
        int pad = kernel / 2;
        int wq = size + 2 * pad;
        int outSize = (size + 2 * pad - kernel) / stride + 1;
        float[] a = new float[images * wq * wq * channels];
        for (int img = 0; img < images; img++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < channels; c++) {
                        a[((img * wq + y + pad) * wq + x + pad) * channels + c] = (float) r.nextDouble(-1, 1);
                    }
                }
            }
        }
        int m = images * outSize * outSize;
        int[] aRows = new int[m];
        int[] bRows = new int[m];
        for (int img = 0, i = 0; img < images; img++) {
            for (int y = 0; y < outSize; y++) {
                for (int x = 0; x < outSize; x++, i++) {
                    aRows[i] = ((img * wq + y * stride) * wq + x * stride) * channels;
                    bRows[i] = i * outChannels;
                }
            }
        }
        int[] taps = new int[kernel * kernel];
        for (int i = 0; i < kernel; i++) {
            for (int j = 0; j < kernel; j++) {
                taps[i * kernel + j] = (i * wq + j) * channels;
            }
        }
        float[] b = new float[m * outChannels];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
        Problem p = new Problem(m, outChannels, channels, a, aRows, taps, b, bRows, m * outChannels);
        assertArrayEquals(transposed(new ScalarImplicitGemm(), p), transposed(FastKernels.vectorProvider().implicitGemm(), p));
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        ImplicitGemm vector = FastKernels.vectorProvider().implicitGemm();
        Problem p = Problem.random(5, 700, 64, 20, 9);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] g1 = gather(vector, p);
            float[] t1 = transposed(vector, p);
            Parallel.setThreads(2);
            assertArrayEquals(g1, gather(vector, p));
            assertArrayEquals(t1, transposed(vector, p));
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * {@code gatherTransposed} cuts the depth into groups of tiles, one task each, and runs through
     * {@link ImplicitGemm#gatherTransposedTasks}: on depths of a few tiles, of a number of tiles that no group
     * count divides, and deep enough for the most groups, with rows past one chunk and columns that do not
     * fill a block, the result is the scalar reference's bits on one, two and three threads.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} taps={3}")
    @CsvSource({"150, 70, 5, 3", "131, 64, 45, 9", "140, 96, 130, 9", "129, 33, 520, 9", "200, 32, 64, 1"})
    void transposedDepthGroupsSameBitsOnOneTwoAndThreeThreads(int m, int n, int k, int taps) {
        ImplicitGemm vector = FastKernels.vectorProvider().implicitGemm();
        Problem p = Problem.random(m * 13L + n + k * 7L, m, n, k, taps);
        float[] reference = transposed(new ScalarImplicitGemm(), p);
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                assertArrayEquals(reference, transposed(vector, p), "gatherTransposed on " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void badTablesAreNamedBeforeAnyWrite() {
        ImplicitGemm g = new ScalarImplicitGemm();
        float[] a = new float[10];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.gather(1, 2, 4, a, new int[] {8}, new int[] {0}, new float[8], new float[2], new int[] {0}));
        assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("row 0 of a"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.gatherTransposed(1, 2, 1, a, new int[] {0}, new int[] {0}, new float[2], new int[] {1}, new float[2]));
        assertTrue(e.getMessage().contains("row 0 of b"), e.getMessage());
    }
}
