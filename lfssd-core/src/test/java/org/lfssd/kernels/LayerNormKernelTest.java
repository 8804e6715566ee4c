package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * The fused LayerNorm row kernels: the scalar reference is bit-identical to the separate elementwise
 * kernels it replaced (so the scalar provider's results did not move), the vector provider is within a
 * few ulps of it on odd sizes, with and without gamma and beta, and the op is bit-identical on 1 and 2
 * threads.
 */
class LayerNormKernelTest {
    private static final int[] SIZES = {1, 3, 15, 16, 17, 33, 192, 197, 385};
    private static final int OFF = 2;

    private static float[] values(int n, long seed, double mean, double spread) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + 2 * OFF];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (mean + spread * rng.nextGaussian());
        }
        return x;
    }

    /** The forward as it was: sum, addScalar, sumSquares, scale, mul, add on one provider. */
    private static float[] forwardComposed(KernelProvider k, float[] x, int n, float eps, float[] gamma, float[] beta, float[] stats) {
        float[] y = new float[n];
        float mu = k.sum(x, OFF, n) / n;
        k.addScalar(-mu, x, OFF, y, 0, n);
        float var = k.sumSquares(y, 0, n) / n;
        float inv = (float) (1.0 / Math.sqrt((double) var + eps));
        k.scale(inv, y, 0, y, 0, n);
        if (gamma != null) {
            k.mul(y, 0, gamma, OFF, y, 0, n);
        }
        if (beta != null) {
            k.add(y, 0, beta, OFF, y, 0, n);
        }
        stats[0] = mu;
        stats[1] = inv;
        return y;
    }

    /** The backward as it was, for one row: returns {dx, dGamma, dBeta}. */
    private static float[][] backwardComposed(KernelProvider k, float[] x, float[] g, float[] gamma, int n, float mean, float rstd) {
        float[] xhat = new float[n];
        float[] tmp = new float[n];
        float[] dGamma = new float[n];
        float[] dBeta = new float[n];
        float[] dx = new float[n];
        k.addScalar(-mean, x, OFF, xhat, 0, n);
        k.scale(rstd, xhat, 0, xhat, 0, n);
        k.mul(g, OFF, xhat, 0, tmp, 0, n);
        k.add(dGamma, 0, tmp, 0, dGamma, 0, n);
        k.add(dBeta, 0, g, OFF, dBeta, 0, n);
        float[] gx = g;
        int gxOff = OFF;
        if (gamma != null) {
            k.mul(g, OFF, gamma, OFF, tmp, 0, n);
            gx = tmp;
            gxOff = 0;
        }
        float meanGx = k.sum(gx, gxOff, n) / n;
        float meanGxXhat = k.dot(gx, gxOff, xhat, 0, n) / n;
        k.scale(-meanGxXhat, xhat, 0, dx, 0, n);
        k.add(dx, 0, gx, gxOff, dx, 0, n);
        k.addScalar(-meanGx, dx, 0, dx, 0, n);
        k.scale(rstd, dx, 0, dx, 0, n);
        return new float[][] {dx, dGamma, dBeta};
    }

    private static float[][] fused(KernelProvider k, float[] x, float[] g, float[] gamma, float[] beta, int n, float eps) {
        float[] y = new float[n + 1];
        float[] stats = new float[3];
        k.layerNormRow(x, OFF, n, eps, gamma, OFF, beta, OFF, y, 1, stats, 1);
        float[] dx = new float[n];
        float[] dGamma = new float[n];
        float[] dBeta = new float[n];
        k.layerNormBackwardRow(x, OFF, n, stats[1], stats[2], g, OFF, gamma, OFF, dx, 0, dGamma, 0, dBeta, 0);
        return new float[][] {java.util.Arrays.copyOfRange(y, 1, n + 1), {stats[1], stats[2]}, dx, dGamma, dBeta};
    }

    @Test
    void scalarFusedIsBitIdenticalToTheSeparateKernels() {
        ScalarKernels k = new ScalarKernels();
        for (int n : SIZES) {
            for (int affine = 0; affine < 2; affine++) {
                float[] x = values(n, n, 3, 2);
                float[] g = values(n, 100 + n, 0, 1);
                float[] gamma = affine == 1 ? values(n, 200 + n, 1, 0.3) : null;
                float[] beta = affine == 1 ? values(n, 300 + n, 0, 0.3) : null;
                float[][] f = fused(k, x, g, gamma, beta, n, 1e-6f);
                float[] stats = new float[2];
                assertArrayEquals(forwardComposed(k, x, n, 1e-6f, gamma, beta, stats), f[0], "y n=" + n);
                assertArrayEquals(stats, f[1], "stats n=" + n);
                float[][] b = backwardComposed(k, x, g, gamma, n, stats[0], stats[1]);
                assertArrayEquals(b[0], f[2], "dx n=" + n);
                assertArrayEquals(b[1], f[3], "dGamma n=" + n);
                assertArrayEquals(b[2], f[4], "dBeta n=" + n);
            }
        }
    }

    @Test
    void vectorMatchesScalarReference() {
        KernelProvider vector = FastKernels.vectorProvider();
        ScalarKernels scalar = new ScalarKernels();
        for (int n : SIZES) {
            for (int affine = 0; affine < 2; affine++) {
                float[] x = values(n, n, 3, 2);
                float[] g = values(n, 100 + n, 0, 1);
                float[] gamma = affine == 1 ? values(n, 200 + n, 1, 0.3) : null;
                float[] beta = affine == 1 ? values(n, 300 + n, 0, 0.3) : null;
                float[][] want = fused(scalar, x, g, gamma, beta, n, 1e-5f);
                float[][] got = fused(vector, x, g, gamma, beta, n, 1e-5f);
                String[] names = {"y", "stats", "dx", "dGamma", "dBeta"};
                for (int q = 0; q < names.length; q++) {
                    float scale = 0;
                    for (float v : want[q]) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int i = 0; i < want[q].length; i++) {
                        // only the order of the float lane sums differs: a few ulps of the row's scale
                        assertEquals(want[q][i], got[q][i], 16 * Math.ulp(Math.max(scale, 1e-3f)),
                                names[q] + " n=" + n + " affine=" + affine + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void layerNormIsBitIdenticalForOneAndTwoThreads() {
        int before = Parallel.threads();
        float[][][] runs = new float[2][][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                SplittableRandom rng = new SplittableRandom(9);
                Var x = Var.param(Tensor.randn(rng, 1f, 2f, 4, 197, 193));
                Var gamma = Var.param(Tensor.randn(rng, 1f, 0.2f, 193));
                Var beta = Var.param(Tensor.randn(rng, 0f, 0.2f, 193));
                Var y = F.layerNorm(x, gamma, beta, 1e-6f);
                y.backward(Tensor.randn(rng, 0f, 1f, 4, 197, 193));
                runs[t - 1] = new float[][] {y.value().toArray(), x.grad().toArray(), gamma.grad().toArray(), beta.grad().toArray()};
            }
        } finally {
            Parallel.setThreads(before);
        }
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(runs[0][i], runs[1][i], "result " + i);
        }
    }
}
