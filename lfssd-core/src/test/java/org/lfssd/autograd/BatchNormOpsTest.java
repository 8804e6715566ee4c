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

class BatchNormOpsTest {

    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    private static Tensor rand(long seed, float lo, float hi, int... shape) {
        return Tensor.uniform(new SplittableRandom(seed), lo, hi, shape);
    }

    /** y = (x - mean) / sqrt(var + eps) * gamma + beta in double, with per-channel mean and var given. */
    private static double[] reference(Tensor x, double[] mean, double[] var, Tensor gamma, Tensor beta, float eps) {
        int n = x.size(0);
        int c = x.size(1);
        int plane = x.size(2) * x.size(3);
        double[] y = new double[x.numel()];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double g = gamma == null ? 1 : gamma.data()[ch];
                double b = beta == null ? 0 : beta.data()[ch];
                for (int p = 0; p < plane; p++) {
                    int at = (i * c + ch) * plane + p;
                    y[at] = (x.data()[at] - mean[ch]) / Math.sqrt(var[ch] + eps) * g + b;
                }
            }
        }
        return y;
    }

    /** {mean, biased variance} per channel, in double. */
    private static double[][] batchStats(Tensor x) {
        int n = x.size(0);
        int c = x.size(1);
        int plane = x.size(2) * x.size(3);
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    s += x.data()[(i * c + ch) * plane + p];
                }
            }
            mean[ch] = s / (n * plane);
            double q = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    double d = x.data()[(i * c + ch) * plane + p] - mean[ch];
                    q += d * d;
                }
            }
            var[ch] = q / (n * plane);
        }
        return new double[][] {mean, var};
    }

    private static void assertClose(double[] expected, Tensor actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.data()[actual.offset() + i], tol, "element " + i);
        }
    }

    @Test
    void trainingForwardNormalisesWithBatchStatistics() {
        // An offset mean (3) checks that variance is computed around the mean, not from raw squares.
        Tensor x = rand(1, 2f, 4f, 3, 5, 4, 3);
        Tensor gamma = rand(2, 0.5f, 1.5f, 5);
        Tensor beta = rand(3, -1f, 1f, 5);
        Var y = F.batchNorm2d(Var.constant(x), Var.constant(gamma), Var.constant(beta),
                Tensor.zeros(5), Tensor.ones(5), true, MOMENTUM, EPS);
        double[][] s = batchStats(x);
        // Normalised values are O(1); float rounding in the statistics and the affine map stays near 1e-6.
        assertClose(reference(x, s[0], s[1], gamma, beta, EPS), y.value(), 2e-5);
    }

    @Test
    void evalForwardUsesRunningStatistics() {
        Tensor x = rand(4, -2f, 2f, 2, 3, 3, 5);
        Tensor rm = Tensor.fromArray(new float[] {0.5f, -1f, 0f}, 3);
        Tensor rv = Tensor.fromArray(new float[] {2f, 0.25f, 1f}, 3);
        Tensor gamma = Tensor.fromArray(new float[] {1.5f, -0.5f, 1f}, 3);
        Tensor beta = Tensor.fromArray(new float[] {0f, 0.25f, -2f}, 3);
        Var y = F.batchNorm2d(Var.constant(x), Var.constant(gamma), Var.constant(beta), rm, rv, false, MOMENTUM, EPS);
        double[] mean = {0.5, -1, 0};
        double[] var = {2, 0.25, 1};
        assertClose(reference(x, mean, var, gamma, beta, EPS), y.value(), 1e-5);
        // Eval mode leaves the running statistics alone.
        assertArrayEquals(new float[] {0.5f, -1f, 0f}, rm.toArray());
        assertArrayEquals(new float[] {2f, 0.25f, 1f}, rv.toArray());
    }

    @Test
    void withoutAffineParameters() {
        Tensor x = rand(5, -1f, 3f, 2, 2, 3, 3);
        Var y = F.batchNorm2d(Var.constant(x), null, null, Tensor.zeros(2), Tensor.ones(2), true, MOMENTUM, EPS);
        double[][] s = batchStats(x);
        assertClose(reference(x, s[0], s[1], null, null, EPS), y.value(), 2e-5);
    }

    @Test
    void runningStatisticsUseMomentumAndUnbiasedVariance() {
        // Channel 0 holds {1, 2, 3, 4}: mean 2.5, biased variance 1.25, unbiased 5/3.
        // Channel 1 holds {-2, 0, 2, 4}: mean 1, biased variance 5, unbiased 20/3.
        Tensor x = Tensor.fromArray(new float[] {1, 2, -2, 0, 3, 4, 2, 4}, 2, 2, 1, 2);
        Tensor rm = Tensor.fromArray(new float[] {0f, 1f}, 2);
        Tensor rv = Tensor.fromArray(new float[] {1f, 2f}, 2);
        F.batchNorm2d(Var.constant(x), null, null, rm, rv, true, MOMENTUM, EPS);
        assertEquals(0.9 * 0 + 0.1 * 2.5, rm.get(0), 1e-7);
        assertEquals(0.9 * 1 + 0.1 * 1, rm.get(1), 1e-7);
        assertEquals(0.9 * 1 + 0.1 * (5.0 / 3), rv.get(0), 1e-6);
        assertEquals(0.9 * 2 + 0.1 * (20.0 / 3), rv.get(1), 1e-6);
        // Grad mode does not matter: statistics are buffers, updated in every training forward.
        try (GradMode g = GradMode.disabled()) {
            F.batchNorm2d(Var.constant(x), null, null, rm, rv, true, MOMENTUM, EPS);
        }
        assertEquals(0.9 * 0.25 + 0.1 * 2.5, rm.get(0), 1e-6);
    }

    // Training-mode BN is smooth but nonlinear: h = 1e-2 on O(1) inputs keeps the O(h^2) truncation error
    // far below the default tolerances, as for the other smooth ops.
    @Test
    void gradCheckTraining() {
        Tensor rm = Tensor.zeros(3);
        Tensor rv = Tensor.ones(3);
        GradCheck.check("batchNorm2d train", v -> F.batchNorm2d(v[0], v[1], v[2], rm, rv, true, MOMENTUM, EPS),
                rand(6, -1f, 2f, 3, 3, 2, 3), rand(7, 0.5f, 1.5f, 3), rand(8, -1f, 1f, 3));
    }

    @Test
    void gradCheckTrainingWithoutAffine() {
        GradCheck.check("batchNorm2d train, no affine",
                v -> F.batchNorm2d(v[0], null, null, Tensor.zeros(2), Tensor.ones(2), true, MOMENTUM, EPS),
                rand(9, -1f, 1f, 2, 2, 3, 2));
    }

    // Eval mode is affine in x, gamma and beta: central differences are exact up to output rounding.
    @Test
    void gradCheckEval() {
        Tensor rm = Tensor.fromArray(new float[] {0.3f, -0.2f, 1f}, 3);
        Tensor rv = Tensor.fromArray(new float[] {0.5f, 2f, 1.5f}, 3);
        GradCheck.check("batchNorm2d eval", v -> F.batchNorm2d(v[0], v[1], v[2], rm, rv, false, MOMENTUM, EPS),
                rand(10, -1f, 2f, 2, 3, 3, 2), rand(11, 0.5f, 1.5f, 3), rand(12, -1f, 1f, 3));
    }

    @Test
    void evalInputGradientAloneWhenParametersAreFrozen() {
        Tensor rm = Tensor.fromArray(new float[] {0.3f, -0.2f}, 2);
        Tensor rv = Tensor.fromArray(new float[] {0.5f, 2f}, 2);
        Var x = Var.param(rand(13, -1f, 1f, 2, 2, 2, 2));
        Var gamma = Var.constant(Tensor.fromArray(new float[] {2f, -1f}, 2));
        Var beta = Var.constant(Tensor.zeros(2));
        Var y = F.batchNorm2d(x, gamma, beta, rm, rv, false, MOMENTUM, EPS);
        y.backward(Tensor.ones(y.shape()));
        assertNull(gamma.grad());
        assertEquals(2 / Math.sqrt(0.5 + EPS), x.grad().get(0, 0, 0, 0), 1e-5);
        assertEquals(-1 / Math.sqrt(2 + EPS), x.grad().get(1, 1, 1, 1), 1e-6);
    }

    @Test
    void bitIdenticalForOneAndTwoThreads() {
        Tensor x = rand(14, -1f, 1f, 8, 16, 12, 12);
        Tensor gamma = rand(15, 0.5f, 1.5f, 16);
        Tensor beta = rand(16, -1f, 1f, 16);
        Tensor seed = rand(17, -1f, 1f, 8, 16, 12, 12);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor[] one = runOnce(x, gamma, beta, seed);
            Parallel.setThreads(2);
            Tensor[] two = runOnce(x, gamma, beta, seed);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i].toArray(), two[i].toArray(), "output " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static Tensor[] runOnce(Tensor x, Tensor gamma, Tensor beta, Tensor seed) {
        Var xv = Var.param(x.copy());
        Var gv = Var.param(gamma.copy());
        Var bv = Var.param(beta.copy());
        Tensor rm = Tensor.zeros(16);
        Tensor rv = Tensor.ones(16);
        Var y = F.batchNorm2d(xv, gv, bv, rm, rv, true, MOMENTUM, EPS);
        y.backward(seed);
        return new Tensor[] {y.value(), xv.grad(), gv.grad(), bv.grad(), rm, rv};
    }

    @Test
    void rejectsBadShapes() {
        Var x = Var.constant(Tensor.zeros(2, 3, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(x, null, null, Tensor.zeros(4), Tensor.ones(3), true, MOMENTUM, EPS));
        assertTrue(e.getMessage().contains("batchNorm2d") && e.getMessage().contains("[4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(x, null, null, Tensor.zeros(3), Tensor.ones(3, 1), false, MOMENTUM, EPS));
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(x, Var.constant(Tensor.ones(2)), null, Tensor.zeros(3), Tensor.ones(3), false, MOMENTUM, EPS));
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(Var.constant(Tensor.zeros(2, 3, 4)), null, null, Tensor.zeros(3), Tensor.ones(3),
                        false, MOMENTUM, EPS));
        // One value per channel has no batch variance.
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(Var.constant(Tensor.zeros(1, 3, 1, 1)), null, null, Tensor.zeros(3), Tensor.ones(3),
                        true, MOMENTUM, EPS));
    }
}
