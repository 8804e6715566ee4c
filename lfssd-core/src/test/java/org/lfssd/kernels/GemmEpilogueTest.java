package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The {@link GemmEpilogue} contract, for the scalar reference (the interface's default), the Vector API
 * GEMM (block by block, inside its tasks) and jblas: the finished blocks cover C exactly once, each
 * block's values are final when it is handed over, the product itself is bit-identical to the plain
 * sgemm, and an elementwise epilogue gives the same bits on one and two threads. Shapes: odd sizes, one
 * large enough to be cut into several tasks, one cut along k (24 x 64 x 12288), several 256-deep k
 * slices, and k = 0.
 */
class GemmEpilogueTest {
    private static final int[][] SHAPES = {{1, 1, 1}, {13, 31, 7}, {31, 33, 127}, {50, 70, 513}, {130, 257, 301},
        {251, 771, 193}, {24, 64, 12288}, {5, 7, 0}};

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    private static void checkContract(Gemm gemm) {
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] s : SHAPES) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    int ldc = n + 3;
                    int cOff = 2;
                    float[] a = random(rng, m * k + 1);
                    float[] b = random(rng, k * n + 1);
                    float[] c0 = random(rng, cOff + m * ldc);
                    int lda = transA ? m : k;
                    int ldb = transB ? k : n;
                    String what = gemm.name() + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB;

                    float[] plain = c0.clone();
                    gemm.sgemm(transA, transB, m, n, k, 0.5f, a, 1, Math.max(1, lda), b, 1, Math.max(1, ldb),
                            1.5f, plain, cOff, ldc);
                    float[] fused = c0.clone();
                    float[] seen = new float[fused.length];
                    AtomicIntegerArray visits = new AtomicIntegerArray(fused.length);
                    gemm.sgemm(transA, transB, m, n, k, 0.5f, a, 1, Math.max(1, lda), b, 1, Math.max(1, ldb),
                            1.5f, fused, cOff, ldc, (r0, r1, col0, col1) -> {
                                assertTrue(0 <= r0 && r0 < r1 && r1 <= m && 0 <= col0 && col0 < col1 && col1 <= n,
                                        what + ": block [" + r0 + ", " + r1 + ") x [" + col0 + ", " + col1 + ")");
                                for (int i = r0; i < r1; i++) {
                                    for (int j = col0; j < col1; j++) {
                                        int at = cOff + i * ldc + j;
                                        visits.incrementAndGet(at);
                                        seen[at] = fused[at];
                                    }
                                }
                            });
                    assertArrayEquals(plain, fused, what + ": the product differs from the plain sgemm");
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            int at = cOff + i * ldc + j;
                            assertEquals(1, visits.get(at), what + ": C[" + i + "][" + j + "] finished that many times");
                            assertEquals(fused[at], seen[at], what + ": C[" + i + "][" + j + "] changed after it was finished");
                        }
                    }
                }
            }
        }
    }

    @Test
    void scalarGemmKeepsTheContract() {
        checkContract(new ScalarGemm());
    }

    @Test
    void vectorGemmKeepsTheContract() {
        checkContract(FastKernels.vectorProvider().gemm());
    }

    @Test
    void jblasGemmKeepsTheContract() {
        checkContract(FastKernels.jblas());
    }

    /** An elementwise epilogue (the square of each element, in place) on a product cut into several tasks. */
    @Test
    void vectorGemmWithEpilogueIsBitIdenticalForOneAndTwoThreads() {
        Gemm gemm = FastKernels.vectorProvider().gemm();
        SplittableRandom rng = new SplittableRandom(12);
        int m = 251;
        int n = 771;
        int k = 193;
        float[] a = random(rng, m * k);
        float[] b = random(rng, n * k);
        float[][] runs = new float[2][];
        int before = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                float[] c = new float[m * n];
                gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n, (r0, r1, col0, col1) -> {
                    for (int i = r0; i < r1; i++) {
                        for (int j = col0; j < col1; j++) {
                            c[i * n + j] *= c[i * n + j];
                        }
                    }
                });
                runs[t - 1] = c;
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(runs[0], runs[1]);
    }
}
