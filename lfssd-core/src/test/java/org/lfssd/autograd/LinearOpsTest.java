package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

class LinearOpsTest {

    /** Naive double-precision {@code [batch, m, k]·[batch, k, n]}. */
    private static double[] referenceMatmul(Tensor a, Tensor b, int batch, int m, int k, int n) {
        double[] c = new double[batch * m * n];
        float[] ad = a.toArray();
        float[] bd = b.toArray();
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) ad[t * m * k + i * k + p] * bd[t * k * n + p * n + j];
                    }
                    c[t * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    /** Float sums of a few O(1) products: a few ulps of the magnitude, so 1e-5 relative plus 1e-6 absolute. */
    private static void assertClose(double[] expected, Tensor actual) {
        float[] a = actual.toArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            double tol = 1e-6 + 1e-5 * Math.abs(expected[i]);
            assertEquals(expected[i], a[i], tol, "element " + i);
        }
    }

    @Test
    void matmul2dMatchesDoubleReference() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor a = Tensor.randn(rng, 0f, 1f, 3, 5);
        Tensor b = Tensor.randn(rng, 0f, 1f, 5, 7);
        Var c = F.matmul(Var.constant(a), Var.constant(b));
        assertArrayEquals(new int[] {3, 7}, c.shape());
        assertClose(referenceMatmul(a, b, 1, 3, 5, 7), c.value());
    }

    @Test
    void matmulHandComputed() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.fromArray(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        Var c = F.matmul(Var.constant(a), Var.constant(b));
        assertArrayEquals(new float[] {58, 64, 139, 154}, c.value().toArray());
    }

    @Test
    void batchedMatmulMatchesDoubleReference() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor a = Tensor.randn(rng, 0f, 1f, 2, 3, 4, 5);
        Tensor b = Tensor.randn(rng, 0f, 1f, 2, 3, 5, 2);
        Var c = F.matmul(Var.constant(a), Var.constant(b));
        assertArrayEquals(new int[] {2, 3, 4, 2}, c.shape());
        assertClose(referenceMatmul(a, b, 6, 4, 5, 2), c.value());
    }

    @Test
    void matmulOnViewsWithOffsets() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor big = Tensor.randn(rng, 0f, 1f, 4, 3, 5);
        Tensor a = big.sliceBatch(2, 4); // offset 30
        Tensor b = Tensor.randn(rng, 0f, 1f, 2, 5, 3);
        Var c = F.matmul(Var.constant(a), Var.constant(b));
        assertClose(referenceMatmul(a, b, 2, 3, 5, 3), c.value());
    }

    @Test
    void matmulGradients() {
        SplittableRandom rng = new SplittableRandom(4);
        GradCheck.check("matmul 2-D", v -> F.matmul(v[0], v[1]),
                Tensor.randn(rng, 0f, 1f, 3, 5), Tensor.randn(rng, 0f, 1f, 5, 7));
        GradCheck.check("matmul batched", v -> F.matmul(v[0], v[1]),
                Tensor.randn(rng, 0f, 1f, 2, 3, 4, 5), Tensor.randn(rng, 0f, 1f, 2, 3, 5, 2));
    }

    @Test
    void matmulSkipsGradientOfConstantOperand() {
        Var a = Var.param(Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2));
        Var b = Var.constant(Tensor.fromArray(new float[] {5, 6, 7, 8}, 2, 2));
        F.matmul(a, b).backward(Tensor.ones(2, 2));
        // dA = 1·Bᵀ: row sums of B.
        assertArrayEquals(new float[] {11, 15, 11, 15}, a.grad().toArray());
        assertNull(b.grad());
    }

    @Test
    void matmulRejectsBadShapes() {
        Var m23 = Var.constant(Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.matmul(m23, Var.constant(Tensor.zeros(2, 3))));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.matmul(Var.constant(Tensor.zeros(2, 2, 3)), Var.constant(Tensor.zeros(3, 3, 4))));
        assertTrue(e.getMessage().contains("[2, 2, 3]") && e.getMessage().contains("[3, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.matmul(Var.constant(Tensor.zeros(3)), m23));
        assertThrows(IllegalArgumentException.class, () -> F.matmul(Var.constant(Tensor.zeros(1, 2, 3)), Var.constant(Tensor.zeros(3, 4))));
    }

    /** {@code x [rows, in] · w [out, in]ᵀ + b} in double. */
    private static double[] referenceLinear(Tensor x, Tensor w, Tensor b) {
        int in = w.size(1);
        int out = w.size(0);
        int rows = x.numel() / in;
        float[] xd = x.toArray();
        float[] wd = w.toArray();
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b.toArray()[o];
                for (int i = 0; i < in; i++) {
                    s += (double) xd[r * in + i] * wd[o * in + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    @Test
    void linearMatchesDoubleReference() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 7);
        Tensor w = Tensor.randn(rng, 0f, 1f, 5, 7);
        Tensor b = Tensor.randn(rng, 0f, 1f, 5);
        Var y = F.linear(Var.constant(x), Var.constant(w), Var.constant(b));
        assertArrayEquals(new int[] {2, 3, 5}, y.shape());
        assertClose(referenceLinear(x, w, b), y.value());
        Var yNoBias = F.linear(Var.constant(x), Var.constant(w), null);
        assertClose(referenceLinear(x, w, null), yNoBias.value());
    }

    @Test
    void linearGradients() {
        SplittableRandom rng = new SplittableRandom(6);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 7);
        Tensor w = Tensor.randn(rng, 0f, 1f, 5, 7);
        Tensor b = Tensor.randn(rng, 0f, 1f, 5);
        GradCheck.check("linear with bias", v -> F.linear(v[0], v[1], v[2]), x, w, b);
        GradCheck.check("linear without bias", v -> F.linear(v[0], v[1], null), x, w);
    }

    @Test
    void linearOnlyWeightGradient() {
        Var x = Var.constant(Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2));
        Var w = Var.param(Tensor.fromArray(new float[] {1, 0, 0, 1, 1, 1}, 3, 2));
        Var b = Var.constant(Tensor.zeros(3));
        F.linear(x, w, b).backward(Tensor.ones(2, 3));
        // dW[o] = sum over rows of x: [4, 6] for every output.
        assertArrayEquals(new float[] {4, 6, 4, 6, 4, 6}, w.grad().toArray());
        assertNull(x.grad());
        assertNull(b.grad());
    }

    @Test
    void linearRejectsBadShapes() {
        Var x = Var.constant(Tensor.zeros(2, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.linear(x, Var.constant(Tensor.zeros(5, 6)), null));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[2, 7]")
                && e.getMessage().contains("[5, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.linear(x, Var.constant(Tensor.zeros(5, 7)), Var.constant(Tensor.zeros(4))));
        assertThrows(IllegalArgumentException.class, () -> F.linear(x, Var.constant(Tensor.zeros(35)), null));
    }

    /** Forward and all three gradients of a linear layer large enough for the GEMM to split its work. */
    private static float[][] linearRun(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            SplittableRandom rng = new SplittableRandom(7);
            Var x = Var.param(Tensor.randn(rng, 0f, 1f, 8, 65, 192));
            Var w = Var.param(Tensor.randn(rng, 0f, 0.1f, 384, 192));
            Var b = Var.param(Tensor.randn(rng, 0f, 0.1f, 384));
            Var y = F.linear(x, w, b);
            float[] yv = y.value().toArray();
            y.backward(Tensor.randn(rng, 0f, 1f, 8, 65, 384));
            return new float[][] {yv, x.grad().toArray(), w.grad().toArray(), b.grad().toArray()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void linearIsBitIdenticalForOneAndTwoThreads() {
        float[][] one = linearRun(1);
        float[][] two = linearRun(2);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "output " + i);
        }
    }

    @Test
    void batchedMatmulIsBitIdenticalForOneAndTwoThreads() {
        float[][][] runs = new float[2][][];
        int saved = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                SplittableRandom rng = new SplittableRandom(8);
                Var a = Var.param(Tensor.randn(rng, 0f, 1f, 4, 3, 33, 40));
                Var b = Var.param(Tensor.randn(rng, 0f, 1f, 4, 3, 40, 17));
                Var c = F.matmul(a, b);
                c.backward(Tensor.randn(rng, 0f, 1f, 4, 3, 33, 17));
                runs[t - 1] = new float[][] {c.value().toArray(), a.grad().toArray(), b.grad().toArray()};
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(runs[0][i], runs[1][i], "output " + i);
        }
    }

    // ------------------------------------------------------------------ linearGelu (Linear + bias + GELU fused)

    @Test
    void linearGeluMatchesDoubleReference() {
        SplittableRandom rng = new SplittableRandom(15);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 7);
        Tensor w = Tensor.randn(rng, 0f, 1f, 5, 7);
        Tensor b = Tensor.randn(rng, 0f, 1f, 5);
        for (Tensor bias : new Tensor[] {b, null}) {
            double[] z = referenceLinear(x, w, bias);
            double[] expected = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                expected[i] = z[i] * 0.5 * (1 + org.lfssd.kernels.Erf.erf(z[i] / Math.sqrt(2)));
            }
            Var y = F.linearGelu(Var.constant(x), Var.constant(w), bias == null ? null : Var.constant(bias));
            assertArrayEquals(new int[] {2, 3, 5}, y.shape());
            assertClose(expected, y.value());
        }
    }

    /**
     * With at most 256 in-features (one k slice of the pure-Java GEMMs) the fused op rounds exactly as
     * the composition does, forward and backward; 300 rows by 130 columns make the GEMM cut the product
     * into several tasks and the epilogue see several blocks. jblas adds a seeded bias inside its own
     * blocked accumulation, so there the two agree to float rounding only.
     */
    @Test
    void linearGeluIsBitIdenticalToGeluOfLinear() {
        SplittableRandom rng = new SplittableRandom(16);
        Tensor x = Tensor.randn(rng, 0f, 1f, 4, 75, 193);
        Tensor w = Tensor.randn(rng, 0f, 0.1f, 130, 193);
        Tensor b = Tensor.randn(rng, 0f, 0.5f, 130);
        Tensor g = Tensor.randn(rng, 0f, 1f, 4, 75, 130);
        float[][] fused = linearGeluRun(x, w, b, g, true);
        float[][] composed = linearGeluRun(x, w, b, g, false);
        String[] names = {"output", "dx", "dw", "db"};
        boolean jblas = org.lfssd.kernels.Kernels.gemm().name().equals("jblas");
        for (int i = 0; i < names.length; i++) {
            if (!jblas) {
                assertArrayEquals(composed[i], fused[i], names[i]);
            } else {
                for (int j = 0; j < fused[i].length; j++) {
                    assertEquals(composed[i][j], fused[i][j], 1e-5 + 1e-5 * Math.abs(composed[i][j]), names[i] + " " + j);
                }
            }
        }
    }

    private static float[][] linearGeluRun(Tensor x, Tensor w, Tensor b, Tensor g, boolean fused) {
        Var xv = Var.param(x.copy());
        Var wv = Var.param(w.copy());
        Var bv = Var.param(b.copy());
        Var y = fused ? F.linearGelu(xv, wv, bv) : F.gelu(F.linear(xv, wv, bv));
        y.backward(g);
        return new float[][] {y.value().toArray(), xv.grad().toArray(), wv.grad().toArray(), bv.grad().toArray()};
    }

    @Test
    void linearGeluGradients() {
        SplittableRandom rng = new SplittableRandom(17);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 7);
        Tensor w = Tensor.randn(rng, 0f, 1f, 5, 7);
        Tensor b = Tensor.randn(rng, 0f, 1f, 5);
        GradCheck.check("linearGelu with bias", v -> F.linearGelu(v[0], v[1], v[2]), x, w, b);
        GradCheck.check("linearGelu without bias", v -> F.linearGelu(v[0], v[1], null), x, w);
    }

    @Test
    void linearGeluIsBitIdenticalForOneAndTwoThreads() {
        float[][][] runs = new float[2][][];
        int saved = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                SplittableRandom rng = new SplittableRandom(18);
                Tensor x = Tensor.randn(rng, 0f, 1f, 8, 65, 192);
                Tensor w = Tensor.randn(rng, 0f, 0.1f, 768, 192);
                Tensor b = Tensor.randn(rng, 0f, 0.1f, 768);
                runs[t - 1] = linearGeluRun(x, w, b, Tensor.randn(rng, 0f, 1f, 8, 65, 768), true);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < runs[0].length; i++) {
            assertArrayEquals(runs[0][i], runs[1][i], "output " + i);
        }
    }

    @Test
    void linearGeluRejectsBadShapes() {
        Var x = Var.constant(Tensor.zeros(2, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.linearGelu(x, Var.constant(Tensor.zeros(5, 6)), null));
        assertTrue(e.getMessage().contains("linearGelu") && e.getMessage().contains("[2, 7]")
                && e.getMessage().contains("[5, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.linearGelu(x, Var.constant(Tensor.zeros(5, 7)), Var.constant(Tensor.zeros(4))));
        assertTrue(e.getMessage().contains("linearGelu") && e.getMessage().contains("[4]"), e.getMessage());
    }
}
