package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A product with a right operand packed once ({@link Gemm#packB}) gives the same bits as the plain product,
 * for every GEMM, on odd sizes around the micro-tile and the k slices, both transposes, with and without
 * an epilogue; the packed form is a copy; the vector GEMM's packed path is the same on one and two threads,
 * also where it cuts k; foreign or mis-sized forms are refused, naming the problem.
 */
class GemmPackedBTest {
    private static final int[] SIZES = {7, 33, 65, 197};
    private static final boolean[] BOOLS = {false, true};
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, -1.5f}};

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    /** Operands with offsets and padded rows; C full of NaN when beta is 0 (it must not be read). */
    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        static Case of(SplittableRandom rng, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
            int lda = (transA ? m : k) + 3;
            int ldb = (transB ? k : n) + 1;
            int ldc = n + 2;
            float[] a = random(rng, 4 + (transA ? k : m) * lda);
            float[] b = random(rng, 1 + (transB ? n : k) * ldb);
            float[] c = random(rng, 3 + m * ldc);
            if (beta == 0f) {
                java.util.Arrays.fill(c, Float.NaN);
            }
            return new Case(transA, transB, m, n, k, alpha, beta, a, 4, lda, b, 1, ldb, c, 3, ldc);
        }

        /** An elementwise epilogue, so that any cut of C into blocks gives the same result. */
        GemmEpilogue epilogue(float[] out) {
            return (r0, r1, c0, c1) -> {
                for (int i = r0; i < r1; i++) {
                    for (int j = c0; j < c1; j++) {
                        int at = cOff + i * ldc + j;
                        out[at] = out[at] * 0.75f - 0.25f;
                    }
                }
            };
        }

        float[] plain(Gemm gemm, boolean withEpilogue) {
            float[] out = c.clone();
            if (withEpilogue) {
                gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc, epilogue(out));
            } else {
                gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            }
            return out;
        }

        float[] packed(Gemm gemm, Gemm.PackedB p, boolean withEpilogue) {
            float[] out = c.clone();
            if (withEpilogue) {
                gemm.sgemm(transA, m, n, k, alpha, a, aOff, lda, p, beta, out, cOff, ldc, epilogue(out));
            } else {
                gemm.sgemm(transA, m, n, k, alpha, a, aOff, lda, p, beta, out, cOff, ldc);
            }
            return out;
        }

        Gemm.PackedB pack(Gemm gemm) {
            return gemm.packB(transB, k, n, b, bOff, ldb);
        }

        @Override
        public String toString() {
            return "transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta;
        }
    }

    private static void checkBitIdentical(Gemm gemm) {
        SplittableRandom rng = new SplittableRandom(17);
        int products = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    for (boolean ta : BOOLS) {
                        for (boolean tb : BOOLS) {
                            float[] ab = ALPHA_BETA[products % ALPHA_BETA.length];
                            Case tc = Case.of(rng, ta, tb, m, n, k, ab[0], ab[1]);
                            Gemm.PackedB p = tc.pack(gemm);
                            assertEquals(k, p.k(), tc.toString());
                            assertEquals(n, p.n(), tc.toString());
                            boolean withEpilogue = products % 3 == 0;
                            float[] expected = tc.plain(gemm, withEpilogue);
                            assertArrayEquals(expected, tc.packed(gemm, p, withEpilogue), gemm.name() + " " + tc);
                            // the form is reusable: a second product through it gives the same bits again
                            assertArrayEquals(expected, tc.packed(gemm, p, withEpilogue), gemm.name() + " again " + tc);
                            products++;
                        }
                    }
                }
            }
        }
        assertEquals(SIZES.length * SIZES.length * SIZES.length * 4, products);
    }

    @Test
    void scalarGemmPackedIsBitIdenticalToPlain() {
        checkBitIdentical(new ScalarGemm());
    }

    @Test
    void vectorGemmPackedIsBitIdenticalToPlain() {
        checkBitIdentical(FastKernels.vectorProvider().gemm());
    }

    @Test
    void jblasGemmPackedIsBitIdenticalToPlain() {
        checkBitIdentical(FastKernels.jblas());
    }

    /** The scalar reference, and the vector GEMM where this JVM has the module. */
    private static java.util.List<Gemm> javaGemms() {
        java.util.List<Gemm> gemms = new java.util.ArrayList<>(java.util.List.of(new ScalarGemm()));
        if (Kernels.vectorModuleReadable()) {
            gemms.add(FastKernels.vectorProvider().gemm());
        }
        return gemms;
    }

    @Test
    void emptyProductsWork() {
        for (Gemm gemm : javaGemms()) {
            SplittableRandom rng = new SplittableRandom(5);
            for (int[] s : new int[][] {{0, 7, 33}, {7, 0, 33}, {7, 33, 0}}) {
                Case tc = Case.of(rng, false, true, s[0], s[1], s[2], 1f, 0f);
                assertArrayEquals(tc.plain(gemm, false), tc.packed(gemm, tc.pack(gemm), false), gemm.name() + " " + tc);
            }
        }
    }

    /**
     * Large enough to be cut into tasks (rows and columns), and a small C with k = 4100, which the vector GEMM
     * cuts along k: the packed path gives the plain path's bits on one thread and on two.
     */
    @Test
    void vectorGemmPackedIsBitIdenticalToPlainOnOneAndTwoThreads() {
        Gemm vector = FastKernels.vectorProvider().gemm();
        int before = Parallel.threads();
        SplittableRandom rng = new SplittableRandom(23);
        try {
            for (int[] s : new int[][] {{301, 197, 530}, {197, 1100, 65}, {33, 197, 4100}}) {
                for (boolean tb : BOOLS) {
                    Case tc = Case.of(rng, false, tb, s[0], s[1], s[2], 1f, 0.5f);
                    Parallel.setThreads(1);
                    float[] expected = tc.plain(vector, false);
                    Gemm.PackedB p = tc.pack(vector);
                    assertArrayEquals(expected, tc.packed(vector, p, false), "1 thread " + tc);
                    Parallel.setThreads(2);
                    assertArrayEquals(expected, tc.packed(vector, p, false), "2 threads " + tc);
                    assertArrayEquals(expected, tc.packed(vector, tc.pack(vector), false), "packed on 2 threads " + tc);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void thePackedFormIsACopy() {
        for (Gemm gemm : javaGemms()) {
            Case tc = Case.of(new SplittableRandom(29), false, true, 33, 65, 197, 1f, 0f);
            float[] expected = tc.plain(gemm, false);
            Gemm.PackedB p = tc.pack(gemm);
            java.util.Arrays.fill(tc.b(), 3f);
            assertArrayEquals(expected, tc.packed(gemm, p, false), gemm.name());
        }
    }

    @Test
    void aFormOfOtherSizesOrFromAnotherGemmIsRefusedNamingTheProblem() {
        Gemm scalar = new ScalarGemm();
        Gemm vector = FastKernels.vectorProvider().gemm();
        Case tc = Case.of(new SplittableRandom(31), false, false, 7, 33, 65, 1f, 0f);
        Gemm.PackedB fromScalar = tc.pack(scalar);
        Gemm.PackedB fromVector = tc.pack(vector);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tc.packed(vector, fromScalar, false));
        assertTrue(e.getMessage().contains("was not made by " + vector.name()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tc.packed(scalar, fromVector, false));
        assertTrue(e.getMessage().contains("was not made by " + scalar.name()), e.getMessage());
        for (Gemm gemm : new Gemm[] {scalar, vector}) {
            Gemm.PackedB p = tc.pack(gemm);
            e = assertThrows(IllegalArgumentException.class,
                    () -> gemm.sgemm(false, 7, 32, 65, 1f, tc.a(), tc.aOff(), tc.lda(), p, 0f, tc.c().clone(), tc.cOff(), tc.ldc()));
            assertTrue(e.getMessage().contains("packed B is 65x33") && e.getMessage().contains("65x32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> gemm.packB(false, 65, 33, new float[10], 0, 33));
            assertTrue(e.getMessage().contains("B") && e.getMessage().contains("overruns"), e.getMessage());
        }
    }
}
