package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The channels-last BatchNorm kernels ({@code scaleShiftAddReluPixels}, {@code reluScaleBackwardPixels}):
 * the scalar provider against a plain per-element loop written here from their contract, and the Vector
 * provider against the scalar one bit for bit, on channel counts around the vector length (so whole
 * vectors and channel tails both run), odd pixel counts, at offsets inside larger arrays, with and
 * without the ReLU, the residual, and each output.
 */
class PixelBatchNormKernelsTest {
    private static final int[] CHANNELS = {1, 3, 15, 16, 17, 33, 64};
    private static final int[] PIXELS = {1, 2, 7, 64};
    private static final int OFFSET = 3;

    /** Values of both signs with exact zeros (ReLU's edge), and a -0, NaN and infinity when long enough. */
    private static float[] values(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + 2 * OFFSET];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(5) == 0 ? 0f : (float) rng.nextDouble(-3, 3);
        }
        if (n > 40) {
            x[OFFSET + 5] = -0f;
            x[OFFSET + 11] = Float.NaN;
            x[OFFSET + 23] = Float.NEGATIVE_INFINITY;
        }
        return x;
    }

    private static float[] channelValues(int c, long seed) {
        float[] v = values(c, seed);
        return java.util.Arrays.copyOfRange(v, OFFSET, OFFSET + c);
    }

    @Test
    void forwardFollowsItsContractOnEveryProvider() {
        KernelProvider scalar = new ScalarKernels();
        KernelProvider vector = Kernels.vectorModuleReadable() ? FastKernels.vectorProvider() : null;
        for (int c : CHANNELS) {
            for (int p : PIXELS) {
                int len = c * p;
                float[] x = values(len, len);
                float[] r = values(len, len + 1);
                float[] scale = channelValues(c, c + 2);
                float[] shift = channelValues(c, c + 3);
                for (boolean residual : new boolean[] {true, false}) {
                    for (boolean relu : new boolean[] {true, false}) {
                        float[] want = values(len, 9);
                        for (int q = 0; q < p; q++) {
                            for (int k = 0; k < c; k++) {
                                int i = q * c + k;
                                float v = scale[k] * x[OFFSET + i] + shift[k];
                                if (residual) {
                                    v += r[1 + i];
                                }
                                want[2 + i] = relu ? (v > 0f ? v : 0f) : v;
                            }
                        }
                        String what = "c=" + c + " p=" + p + " residual=" + residual + " relu=" + relu;
                        float[] got = values(len, 9);
                        scalar.scaleShiftAddReluPixels(scale, shift, c, x, OFFSET, residual ? r : null, 1, relu, got, 2, p);
                        assertArrayEquals(want, got, "scalar " + what);
                        if (vector != null) {
                            float[] fast = values(len, 9);
                            vector.scaleShiftAddReluPixels(scale, shift, c, x, OFFSET, residual ? r : null, 1, relu, fast, 2, p);
                            assertArrayEquals(want, fast, "vector " + what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void backwardFollowsItsContractOnEveryProvider() {
        KernelProvider scalar = new ScalarKernels();
        KernelProvider vector = Kernels.vectorModuleReadable() ? FastKernels.vectorProvider() : null;
        for (int c : CHANNELS) {
            for (int p : PIXELS) {
                int len = c * p;
                float[] y = values(len, 3L * len);
                float[] g = values(len, 3L * len + 1);
                float[] x = values(len, 3L * len + 2);
                float[] mean = channelValues(c, c);
                float[] scale = channelValues(c, c + 1);
                for (boolean relu : new boolean[] {true, false}) {
                    for (boolean outputs : new boolean[] {true, false}) {
                        float[] wantDz = values(len, 5);
                        float[] wantDx = values(len, 6);
                        float[] wantSums = new float[2 * c];
                        for (int q = 0; q < p; q++) {
                            for (int k = 0; k < c; k++) {
                                int i = q * c + k;
                                float gv = g[1 + i];
                                float z = relu ? gv * (y[OFFSET + i] > 0f ? 1f : 0f) : gv;
                                if (outputs) {
                                    wantDz[4 + i] = z;
                                    wantDx[5 + i] = scale[k] * z;
                                }
                                wantSums[k] += z;
                                wantSums[c + k] += z * (x[2 + i] + -mean[k]);
                            }
                        }
                        String what = "c=" + c + " p=" + p + " relu=" + relu + " outputs=" + outputs;
                        for (KernelProvider provider : vector == null ? new KernelProvider[] {scalar}
                                : new KernelProvider[] {scalar, vector}) {
                            float[] dz = values(len, 5);
                            float[] dx = values(len, 6);
                            float[] sums = values(2 * c, 7);
                            provider.reluScaleBackwardPixels(relu ? y : null, OFFSET, g, 1, x, 2, mean, scale, c,
                                    outputs ? dz : null, 4, outputs ? dx : null, 5, sums, p);
                            assertArrayEquals(wantDz, dz, provider.name() + " dz " + what);
                            assertArrayEquals(wantDx, dx, provider.name() + " dx " + what);
                            assertArrayEquals(wantSums, java.util.Arrays.copyOf(sums, 2 * c), provider.name() + " sums " + what);
                            // Without sums the outputs are the same and nothing else is written.
                            float[] dx2 = values(len, 6);
                            provider.reluScaleBackwardPixels(relu ? y : null, OFFSET, g, 1, x, 2, mean, scale, c, null, 4,
                                    dx2, 5, null, p);
                            assertArrayEquals(dxWith(values(len, 6), scale, g, y, relu, c, p), dx2,
                                    provider.name() + " dx without sums " + what);
                        }
                    }
                }
            }
        }
    }

    private static float[] dxWith(float[] dx, float[] scale, float[] g, float[] y, boolean relu, int c, int p) {
        for (int q = 0; q < p; q++) {
            for (int k = 0; k < c; k++) {
                int i = q * c + k;
                float gv = g[1 + i];
                float z = relu ? gv * (y[OFFSET + i] > 0f ? 1f : 0f) : gv;
                dx[5 + i] = scale[k] * z;
            }
        }
        return dx;
    }
}
