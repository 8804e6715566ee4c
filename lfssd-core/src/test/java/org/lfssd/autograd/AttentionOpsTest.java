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

class AttentionOpsTest {

    /** softmax(q kᵀ / √d) v in double, per (batch, head). */
    private static double[] reference(Tensor q, Tensor k, Tensor v) {
        int heads = q.size(0) * q.size(1);
        int nq = q.size(2);
        int d = q.size(3);
        int nk = k.size(2);
        int dv = v.size(3);
        float[] qd = q.toArray();
        float[] kd = k.toArray();
        float[] vd = v.toArray();
        double[] out = new double[heads * nq * dv];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < nq; i++) {
                double[] s = new double[nk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < nk; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += (double) qd[(h * nq + i) * d + c] * kd[(h * nk + j) * d + c];
                    }
                    s[j] = dot / Math.sqrt(d);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < nk; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int c = 0; c < dv; c++) {
                    double o = 0;
                    for (int j = 0; j < nk; j++) {
                        o += s[j] / sum * vd[(h * nk + j) * dv + c];
                    }
                    out[(h * nq + i) * dv + c] = o;
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] expected, Tensor actual) {
        float[] a = actual.toArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            // Convex combinations of O(1) values after a float GEMM and softmax: a few ulps, below 1e-5.
            assertEquals(expected[i], a[i], 1e-5, "element " + i);
        }
    }

    @Test
    void forwardMatchesDoubleReference() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor q = Tensor.randn(rng, 0f, 1f, 2, 3, 5, 4);
        Tensor k = Tensor.randn(rng, 0f, 1f, 2, 3, 5, 4);
        Tensor v = Tensor.randn(rng, 0f, 1f, 2, 3, 5, 4);
        Var o = F.scaledDotProductAttention(Var.constant(q), Var.constant(k), Var.constant(v));
        assertArrayEquals(new int[] {2, 3, 5, 4}, o.shape());
        assertClose(reference(q, k, v), o.value());
    }

    @Test
    void crossAttentionShapes() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor q = Tensor.randn(rng, 0f, 1f, 1, 2, 3, 4);
        Tensor k = Tensor.randn(rng, 0f, 1f, 1, 2, 6, 4);
        Tensor v = Tensor.randn(rng, 0f, 1f, 1, 2, 6, 5);
        Var o = F.scaledDotProductAttention(Var.constant(q), Var.constant(k), Var.constant(v));
        assertArrayEquals(new int[] {1, 2, 3, 5}, o.shape());
        assertClose(reference(q, k, v), o.value());
        GradCheck.check("cross attention", x -> F.scaledDotProductAttention(x[0], x[1], x[2]), q, k, v);
    }

    @Test
    void equalKeysAverageTheValues() {
        // All scores equal: every query gets the mean of the values.
        Tensor q = Tensor.ones(1, 1, 2, 2);
        Tensor k = Tensor.ones(1, 1, 3, 2);
        Tensor v = Tensor.fromArray(new float[] {1, 10, 2, 20, 6, 60}, 1, 1, 3, 2);
        Tensor o = F.scaledDotProductAttention(Var.constant(q), Var.constant(k), Var.constant(v)).value();
        float[] a = o.toArray();
        float[] expected = {3, 30, 3, 30};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], a[i], 1e-5f);
        }
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(3);
        GradCheck.check("attention", x -> F.scaledDotProductAttention(x[0], x[1], x[2]),
                Tensor.randn(rng, 0f, 1f, 2, 3, 5, 4), Tensor.randn(rng, 0f, 1f, 2, 3, 5, 4),
                Tensor.randn(rng, 0f, 1f, 2, 3, 5, 4));
    }

    @Test
    void onlyValueGradient() {
        SplittableRandom rng = new SplittableRandom(4);
        Var q = Var.constant(Tensor.randn(rng, 0f, 1f, 1, 1, 2, 2));
        Var k = Var.constant(Tensor.randn(rng, 0f, 1f, 1, 1, 2, 2));
        Var v = Var.param(Tensor.randn(rng, 0f, 1f, 1, 1, 2, 2));
        F.scaledDotProductAttention(q, k, v).backward(Tensor.ones(1, 1, 2, 2));
        // dV = Pᵀ·1: row j holds the total attention key j receives; both columns alike, summing to 2.
        float[] g = v.grad().toArray();
        assertEquals(g[0], g[1], 0f);
        assertEquals(2f, g[0] + g[2], 1e-6f);
        assertNull(q.grad());
        assertNull(k.grad());
    }

    @Test
    void rejectsBadShapes() {
        Var a = Var.constant(Tensor.zeros(2, 3, 5, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.scaledDotProductAttention(a, Var.constant(Tensor.zeros(2, 3, 5, 3)), a));
        assertTrue(e.getMessage().contains("scaledDotProductAttention") && e.getMessage().contains("[2, 3, 5, 3]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(a, a, Var.constant(Tensor.zeros(2, 3, 6, 4))));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(a, a, Var.constant(Tensor.zeros(2, 2, 5, 4))));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(Var.constant(Tensor.zeros(6, 5, 4)), a, a));
    }

    @Test
    void backwardIsBitIdenticalForOneAndTwoThreads() {
        float[][][] runs = new float[2][][];
        int saved = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                SplittableRandom rng = new SplittableRandom(5);
                Var q = Var.param(Tensor.randn(rng, 0f, 1f, 4, 3, 65, 64));
                Var k = Var.param(Tensor.randn(rng, 0f, 1f, 4, 3, 65, 64));
                Var v = Var.param(Tensor.randn(rng, 0f, 1f, 4, 3, 65, 64));
                Var o = F.scaledDotProductAttention(q, k, v);
                o.backward(Tensor.randn(rng, 0f, 1f, 4, 3, 65, 64));
                runs[t - 1] = new float[][] {o.value().toArray(), q.grad().toArray(), k.grad().toArray(),
                        v.grad().toArray()};
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < runs[0].length; i++) {
            assertArrayEquals(runs[0][i], runs[1][i], "output " + i);
        }
    }
}
