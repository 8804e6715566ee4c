package org.lfssd.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.Parallel;

/**
 * The vector GEMM reading a transposed A in place gives the bits of the packing path, on one and two
 * threads: odd sizes (m, n, k not multiples of the 12 x 32 tile or of the k slices, so edge row panels are
 * packed and edge columns updated element by element), an offset and a leading dimension wider than
 * op(A)'s rows, both transposes of B, B packed per product and packed once ({@link Gemm#packB}), products
 * cut into tasks and into depth chunks, and leading dimensions on both sides of the in-place limit. The
 * packing path itself is checked against a double-precision product in {@code GemmTest}.
 */
class TransposedAInPlaceTest {
    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
    }

    /**
     * m, n, k, extra columns of the stored A: small, around the tile, several tasks (301 x 70 x 530),
     * the ViT weight-gradient shape cut short, a depth-chunked product (small C, k over 2048), and stored
     * rows of 1023 and 1030 floats, read in place and packed.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1, 0}, {11, 5, 3, 2}, {12, 32, 16, 0}, {13, 33, 17, 3}, {25, 65, 300, 5}, {301, 70, 530, 3},
        {131, 77, 301, 1}, {192, 100, 515, 0}, {50, 40, 2100, 7}, {1000, 45, 61, 23}, {1000, 45, 61, 30},
    };

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, -1.5f}, {-2f, 1f}};

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void theLimitOnTheStrideIsWhereTheShapesAbovePutIt() {
        // the shapes above read A in place up to a stored row of 1023 floats and pack it from 1030
        assertTrue(VectorGemm.readsTransposedAInPlace(1023));
        assertFalse(VectorGemm.readsTransposedAInPlace(1030));
    }

    @Test
    void readingTransposedAInPlaceGivesThePackedBitsOnOneAndTwoThreads() {
        VectorGemm gemm = new VectorGemm();
        SplittableRandom rng = new SplittableRandom(11);
        int threadsBefore = Parallel.threads();
        try {
            for (int[] s : SHAPES) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                int lda = m + s[3];
                int aOff = 5;
                float[] a = random(rng, aOff + k * lda + 3);
                for (boolean transB : new boolean[] {false, true}) {
                    int ldb = (transB ? k : n) + 2;
                    int bOff = 3;
                    float[] b = random(rng, bOff + (transB ? n : k) * ldb + 1);
                    int ldc = n + 1;
                    int cOff = 2;
                    for (float[] ab : ALPHA_BETA) {
                        float[] c0 = random(rng, cOff + m * ldc + 2);
                        if (ab[1] == 0f) {
                            Arrays.fill(c0, Float.NaN); // beta == 0 must not read C
                        }
                        String what = "sgemm(transA, transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                                + ", lda=" + lda + ", alpha=" + ab[0] + ", beta=" + ab[1] + ")";
                        Parallel.setThreads(1);
                        VectorGemm.transposedAInPlace = false;
                        float[] packed = c0.clone();
                        gemm.sgemm(true, transB, m, n, k, ab[0], a, aOff, lda, b, bOff, ldb, ab[1], packed, cOff, ldc);
                        VectorGemm.transposedAInPlace = true;
                        Gemm.PackedB panels = gemm.packB(transB, k, n, b, bOff, ldb);
                        for (int threads = 1; threads <= 2; threads++) {
                            Parallel.setThreads(threads);
                            float[] inPlace = c0.clone();
                            gemm.sgemm(true, transB, m, n, k, ab[0], a, aOff, lda, b, bOff, ldb, ab[1], inPlace, cOff, ldc);
                            assertArrayEquals(packed, inPlace, what + " on " + threads + " thread(s)");
                            float[] onPanels = c0.clone();
                            gemm.sgemm(true, m, n, k, ab[0], a, aOff, lda, panels, ab[1], onPanels, cOff, ldc);
                            assertArrayEquals(packed, onPanels, what + " with B packed once, on " + threads + " thread(s)");
                        }
                    }
                }
            }
        } finally {
            VectorGemm.transposedAInPlace = true;
            Parallel.setThreads(threadsBefore);
        }
    }
}
