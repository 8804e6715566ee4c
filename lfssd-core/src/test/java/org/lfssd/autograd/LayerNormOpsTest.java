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

class LayerNormOpsTest {

    /** PyTorch's LayerNorm in double: biased variance over the last dimension. */
    private static double[] reference(Tensor x, Tensor gamma, Tensor beta, double eps) {
        int d = x.size(-1);
        int rows = x.numel() / d;
        float[] xd = x.toArray();
        double[] y = new double[xd.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += xd[r * d + i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                double c = xd[r * d + i] - mean;
                var += c * c;
            }
            var /= d;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < d; i++) {
                double v = (xd[r * d + i] - mean) * inv;
                if (gamma != null) {
                    v *= gamma.toArray()[i];
                }
                if (beta != null) {
                    v += beta.toArray()[i];
                }
                y[r * d + i] = v;
            }
        }
        return y;
    }

    /** Normalised values are O(1) (times O(1) gamma); float rounding of a few steps stays below 1e-5. */
    private static void assertClose(double[] expected, Tensor actual) {
        float[] a = actual.toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 1e-5, "element " + i);
        }
    }

    @Test
    void forwardMatchesDoubleReference() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.randn(rng, 0.5f, 2f, 2, 3, 7);
        Tensor gamma = Tensor.randn(rng, 1f, 0.5f, 7);
        Tensor beta = Tensor.randn(rng, 0f, 0.5f, 7);
        assertClose(reference(x, gamma, beta, 1e-5), F.layerNorm(Var.constant(x), Var.constant(gamma), Var.constant(beta), 1e-5f).value());
        assertClose(reference(x, null, null, 1e-5), F.layerNorm(Var.constant(x), null, null, 1e-5f).value());
    }

    @Test
    void forwardAtViTWidth() {
        SplittableRandom rng = new SplittableRandom(2);
        // A large common offset checks the two-pass variance (no E[x²] - E[x]² cancellation).
        Tensor x = Tensor.randn(rng, 50f, 1f, 3, 192);
        Tensor gamma = Tensor.randn(rng, 1f, 0.2f, 192);
        Tensor beta = Tensor.randn(rng, 0f, 0.2f, 192);
        Tensor y = F.layerNorm(Var.constant(x), Var.constant(gamma), Var.constant(beta), 1e-6f).value();
        double[] expected = reference(x, gamma, beta, 1e-6);
        float[] a = y.toArray();
        for (int i = 0; i < a.length; i++) {
            // x carries float rounding of ulp(50) ~ 4e-6 relative to a unit spread, plus the mean's rounding.
            assertEquals(expected[i], a[i], 5e-5, "element " + i);
        }
    }

    @Test
    void handComputedRow() {
        // Row [1, 3]: mean 2, biased variance 1, so (x - 2) / 1 = [-1, 1] with eps 0.
        Tensor y = F.layerNorm(Var.constant(Tensor.fromArray(new float[] {1, 3}, 1, 2)), null, null, 0f).value();
        assertArrayEquals(new float[] {-1f, 1f}, y.toArray());
    }

    @Test
    void gradientsWithAffine() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 7);
        Tensor gamma = Tensor.randn(rng, 1f, 0.5f, 7);
        Tensor beta = Tensor.randn(rng, 0f, 0.5f, 7);
        GradCheck.check("layerNorm affine", v -> F.layerNorm(v[0], v[1], v[2], 1e-5f), x, gamma, beta);
    }

    @Test
    void gradientsWithoutAffine() {
        Tensor x = Tensor.randn(new SplittableRandom(4), 0f, 1f, 5, 7);
        GradCheck.check("layerNorm plain", v -> F.layerNorm(v[0], null, null, 1e-5f), x);
        GradCheck.check("layerNorm gamma only", v -> F.layerNorm(v[0], v[1], null, 1e-5f),
                x, Tensor.randn(new SplittableRandom(5), 1f, 0.5f, 7));
    }

    @Test
    void onlyParameterGradients() {
        Var x = Var.constant(Tensor.fromArray(new float[] {1, 3, 5, 1}, 2, 2));
        Var gamma = Var.param(Tensor.fromArray(new float[] {2, 2}, 2));
        Var beta = Var.param(Tensor.zeros(2));
        F.layerNorm(x, gamma, beta, 0f).backward(Tensor.ones(2, 2));
        // xhat = [-1, 1] and [1, -1]: dGamma = column sums of xhat, dBeta = column sums of ones.
        assertArrayEquals(new float[] {0f, 0f}, gamma.grad().toArray());
        assertArrayEquals(new float[] {2f, 2f}, beta.grad().toArray());
        assertNull(x.grad());
    }

    @Test
    void rejectsBadShapes() {
        Var x = Var.constant(Tensor.zeros(2, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.layerNorm(x, Var.constant(Tensor.zeros(6)), null, 1e-5f));
        assertTrue(e.getMessage().contains("layerNorm") && e.getMessage().contains("[2, 7]")
                && e.getMessage().contains("[6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.layerNorm(x, null, Var.constant(Tensor.zeros(1, 7)), 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> F.layerNorm(Var.constant(Tensor.zeros()), null, null, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> F.layerNorm(x, null, null, -1f));
    }

    @Test
    void backwardIsBitIdenticalForOneAndTwoThreads() {
        float[][][] runs = new float[2][][];
        int saved = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                SplittableRandom rng = new SplittableRandom(6);
                // 260 rows of 192: several row chunks, so gamma/beta partials are combined across chunks.
                Var x = Var.param(Tensor.randn(rng, 0f, 1f, 4, 65, 192));
                Var gamma = Var.param(Tensor.randn(rng, 1f, 0.2f, 192));
                Var beta = Var.param(Tensor.randn(rng, 0f, 0.2f, 192));
                Var y = F.layerNorm(x, gamma, beta, 1e-6f);
                y.backward(Tensor.randn(rng, 0f, 1f, 4, 65, 192));
                runs[t - 1] = new float[][] {y.value().toArray(), x.grad().toArray(), gamma.grad().toArray(),
                        beta.grad().toArray()};
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < runs[0].length; i++) {
            assertArrayEquals(runs[0][i], runs[1][i], "output " + i);
        }
    }
}
