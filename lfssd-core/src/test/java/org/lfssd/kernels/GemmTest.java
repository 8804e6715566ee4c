package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Every GEMM (scalar reference, Vector API, jblas) against a double-precision product, on odd sizes,
 * with offsets, leading dimensions wider than the rows, all four transpose combinations and several
 * alpha/beta pairs, including {@code beta == 0} over a C full of NaN (which must not be read).
 *
 * <p>Tolerance per element: a float dot product of length k errs by at most about {@code k * eps} times
 * {@code sum_p |a_ip b_pj|}; the alpha scaling and the beta update add a few more roundings.
 */
class GemmTest {
    private static final double EPS = Math.ulp(1f);

    /** m, n, k triples: degenerate, around the 12 x 32 micro-tile, across the 256-deep k blocks, and lopsided. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 3, 7}, {3, 1, 13}, {7, 13, 1}, {12, 32, 5}, {13, 31, 7}, {31, 33, 127},
        {25, 65, 300}, {127, 7, 31}, {3, 300, 13}, {1023, 3, 7}, {5, 1023, 3}, {2, 2, 1023}, {0, 3, 4}, {3, 0, 4},
        {4, 3, 0}, {50, 70, 513},
    };

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, -1.5f}, {-2f, 1f}};

    private static final boolean[] BOOLS = {false, true};

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    /** One test case: operands laid out with an offset and padded rows, so strides and offsets are exercised. */
    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {

        static Case of(SplittableRandom rng, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            int lda = aCols + 3;
            int ldb = bCols + 1;
            int ldc = n + 2;
            int aOff = 4;
            int bOff = 1;
            int cOff = 3;
            float[] a = random(rng, aOff + aRows * lda + 2);
            float[] b = random(rng, bOff + bRows * ldb + 2);
            float[] c = random(rng, cOff + m * ldc + 2);
            if (beta == 0f) {
                java.util.Arrays.fill(c, Float.NaN);
            }
            return new Case(transA, transB, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        float aAt(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float bAt(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        float[] run(Gemm gemm) {
            float[] out = c.clone();
            gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /** Checks {@code out} element by element against the product in double, and that nothing outside C changed. */
        void check(String who, float[] out) {
            boolean[] inside = new boolean[c.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double t = (double) aAt(i, p) * bAt(p, j);
                        exact += t;
                        magnitude += Math.abs(t);
                    }
                    int at = cOff + i * ldc + j;
                    inside[at] = true;
                    double cOld = beta == 0f ? 0 : c[at];
                    double expected = alpha * exact + beta * cOld;
                    double tol = (k + 3) * EPS * Math.abs(alpha) * magnitude + 3 * EPS * Math.abs(beta * cOld) + 1e-30;
                    if (!(Math.abs(out[at] - expected) <= tol)) {
                        fail(who + " " + this + ": C[" + i + "][" + j + "] = " + out[at] + ", expected " + expected
                                + " within " + tol);
                    }
                }
            }
            for (int x = 0; x < c.length; x++) {
                if (!inside[x] && Float.floatToIntBits(out[x]) != Float.floatToIntBits(c[x])) {
                    fail(who + " " + this + ": wrote outside C at array index " + x);
                }
            }
        }

        @Override
        public String toString() {
            return "sgemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", alpha=" + alpha + ", beta=" + beta + ")";
        }
    }

    private static void checkAll(Gemm gemm) {
        SplittableRandom rng = new SplittableRandom(42);
        for (int[] s : SHAPES) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    for (float[] ab : ALPHA_BETA) {
                        Case tc = Case.of(rng, ta, tb, s[0], s[1], s[2], ab[0], ab[1]);
                        tc.check(gemm.name(), tc.run(gemm));
                    }
                }
            }
        }
    }

    @Test
    void scalarGemmIsCorrect() {
        checkAll(new ScalarGemm());
    }

    @Test
    void vectorGemmIsCorrect() {
        checkAll(FastKernels.vectorProvider().gemm());
    }

    @Test
    void jblasGemmIsCorrect() {
        checkAll(FastKernels.jblas());
    }

    @Test
    void activeGemmIsCorrect() {
        checkAll(Kernels.gemm());
    }

    @Test
    void vectorGemmAgreesWithScalarGemmOnAConvLikeShape() {
        Gemm vector = FastKernels.vectorProvider().gemm();
        SplittableRandom rng = new SplittableRandom(3);
        for (boolean ta : BOOLS) {
            for (boolean tb : BOOLS) {
                Case tc = Case.of(rng, ta, tb, 64, 200, 576, 1f, 0f);
                float[] expected = tc.run(new ScalarGemm());
                float[] actual = tc.run(vector);
                for (int i = 0; i < 64; i++) {
                    for (int j = 0; j < 200; j++) {
                        int at = tc.cOff() + i * tc.ldc() + j;
                        // both within k*eps*sum|ab| of the exact value; |ab| < 1 here, so the sum is below k
                        assertEquals(expected[at], actual[at], 2 * 579 * EPS * 576, "C[" + i + "][" + j + "] " + tc);
                    }
                }
            }
        }
    }

    @Test
    void vectorGemmIsBitIdenticalForOneAndTwoThreads() {
        Gemm vector = FastKernels.vectorProvider().gemm();
        assertSameForOneAndTwoThreads(vector);
    }

    /**
     * A small C with a long k (24 x 64 x 12288), which the vector GEMM cuts along k into chunks summed in
     * order: correct against the double product, and the same bits on one and two threads.
     */
    @Test
    void vectorGemmCutAlongKIsCorrectAndBitIdenticalForOneAndTwoThreads() {
        Gemm vector = FastKernels.vectorProvider().gemm();
        int before = Parallel.threads();
        SplittableRandom rng = new SplittableRandom(6);
        try {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    for (float[] ab : ALPHA_BETA) {
                        Case tc = Case.of(rng, ta, tb, 24, 64, 12288, ab[0], ab[1]);
                        Parallel.setThreads(1);
                        float[] one = tc.run(vector);
                        tc.check(vector.name(), one);
                        Parallel.setThreads(2);
                        assertArrayEquals(one, tc.run(vector), vector.name() + " " + tc);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * A tall product whose task grid cuts rows, so the vector GEMM packs all of B once for every task
     * (three k slices, a partial last column panel): correct for every transpose, the same bits on one and
     * two threads.
     */
    @Test
    void vectorGemmWithBPackedOnceForAllTasksIsCorrectAndBitIdenticalForOneAndTwoThreads() {
        Gemm vector = FastKernels.vectorProvider().gemm();
        int before = Parallel.threads();
        SplittableRandom rng = new SplittableRandom(8);
        try {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    for (float[] ab : ALPHA_BETA) {
                        Case tc = Case.of(rng, ta, tb, 301, 70, 530, ab[0], ab[1]);
                        Parallel.setThreads(1);
                        float[] one = tc.run(vector);
                        tc.check(vector.name(), one);
                        Parallel.setThreads(2);
                        assertArrayEquals(one, tc.run(vector), vector.name() + " " + tc);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * An epilogue that runs another product on the same thread while the first one's tasks still read its
     * B packed once: the inner product must not reuse (and overwrite) that buffer.
     */
    @Test
    void aProductRunFromAnEpilogueLeavesTheOuterProductIntact() {
        Gemm vector = FastKernels.vectorProvider().gemm();
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                Case outer = Case.of(new SplittableRandom(9), false, true, 301, 70, 530, 1f, 0f);
                Case inner = Case.of(new SplittableRandom(10), false, false, 301, 70, 530, 1f, 0f);
                float[] plain = outer.run(vector);
                float[] withEpilogue = outer.c().clone();
                vector.sgemm(false, true, 301, 70, 530, 1f, outer.a(), outer.aOff(), outer.lda(),
                        outer.b(), outer.bOff(), outer.ldb(), 0f, withEpilogue, outer.cOff(), outer.ldc(),
                        (r0, r1, c0, c1) -> inner.run(vector));
                assertArrayEquals(plain, withEpilogue, "threads=" + threads);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void jblasGemmIsBitIdenticalForOneAndTwoThreads() {
        assertSameForOneAndTwoThreads(FastKernels.jblas());
    }

    /** Large enough (m n k = 10 M multiply-adds) that the vector GEMM cuts it into several tasks. */
    private static void assertSameForOneAndTwoThreads(Gemm gemm) {
        int before = Parallel.threads();
        SplittableRandom rng = new SplittableRandom(5);
        try {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    Case tc = Case.of(rng, ta, tb, 130, 257, 301, 0.75f, 0.5f);
                    Parallel.setThreads(1);
                    float[] one = tc.run(gemm);
                    Parallel.setThreads(2);
                    float[] two = tc.run(gemm);
                    assertArrayEquals(one, two, gemm.name() + " " + tc);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void jblasIsSafeForConcurrentCallersWritingOneArray() throws Exception {
        Gemm jblas = FastKernels.jblas();
        int m = 64;
        int n = 96;
        int k = 80;
        SplittableRandom rng = new SplittableRandom(8);
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] expected = new float[m * n];
        new ScalarGemm().sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                float[] c = new float[m * n];
                // Two callers, each writing its own half of the rows of the same C array.
                Future<?> top = pool.submit(() -> jblas.sgemm(false, false, m / 2, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n));
                Future<?> bottom = pool.submit(() ->
                        jblas.sgemm(false, false, m / 2, n, k, 1f, a, (m / 2) * k, k, b, 0, n, 0f, c, (m / 2) * n, n));
                top.get();
                bottom.get();
                for (int x = 0; x < c.length; x++) {
                    assertEquals(expected[x], c[x], 2 * k * EPS * k, "round " + round + " index " + x);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheProblem() {
        Gemm[] gemms = Kernels.vectorModuleReadable()
                ? new Gemm[] {new ScalarGemm(), FastKernels.vectorProvider().gemm()}
                : new Gemm[] {new ScalarGemm()};
        for (Gemm g : gemms) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.sgemm(false, false, 2, 2, 3, 1f, new float[6], 0, 2, new float[6], 0, 2, 0f, new float[4], 0, 2));
            assertTrue(e.getMessage().contains("leading dimension of A"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> g.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f, new float[4], 1, 2));
            assertTrue(e.getMessage().contains("C (2x2, ld 2, offset 1) overruns its array of length 4"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> g.sgemm(false, false, -1, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
            assertTrue(e.getMessage().contains("negative size m=-1"), e.getMessage());
        }
    }
}
