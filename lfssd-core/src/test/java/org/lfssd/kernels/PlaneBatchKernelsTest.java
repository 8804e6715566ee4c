package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The many-plane BatchNorm kernels ({@code scaleShiftAddReluPlanes}, {@code reluScaleBackwardPlanes})
 * against one call per plane of the same provider, bit for bit, on odd plane counts and plane sizes
 * around the vector length and the reduction step (so whole steps, vector tails and scalar tails all
 * run), at offsets inside larger arrays.
 */
class PlaneBatchKernelsTest {
    private static final int[] PLANES = {1, 2, 3, 5, 9};
    private static final int[] SIZES = {1, 7, 15, 16, 17, 63, 64, 65, 100, 129, 256};
    private static final int OFFSET = 3;

    private static List<KernelProvider> providers() {
        List<KernelProvider> all = new ArrayList<>();
        all.add(new ScalarKernels());
        if (Kernels.vectorModuleReadable()) {
            all.add(FastKernels.vectorProvider());
        }
        return all;
    }

    /** Values of both signs with exact zeros of both signs (ReLU's edge), and a NaN and an infinity when long enough. */
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

    @Test
    void scaleShiftAddReluPlanesIsOneCallPerPlane() {
        for (KernelProvider p : providers()) {
            for (int planes : PLANES) {
                for (int n : SIZES) {
                    int len = planes * n;
                    float[] x = values(len, len);
                    float[] r = values(len, len + 1);
                    float[] scale = values(planes, planes + 2);
                    float[] shift = values(planes, planes + 3);
                    for (boolean residual : new boolean[] {true, false}) {
                        float[] want = values(len, 9);
                        float[] got = want.clone();
                        for (int k = 0; k < planes; k++) {
                            p.scaleShiftAddRelu(scale[OFFSET + k], shift[OFFSET + k], x, OFFSET + k * n, residual ? r : null,
                                    1 + k * n, want, 2 + k * n, n);
                        }
                        p.scaleShiftAddReluPlanes(scale, shift, OFFSET, planes, x, OFFSET, residual ? r : null, 1, got, 2, n);
                        assertArrayEquals(want, got, p.name() + " planes=" + planes + " n=" + n + " residual=" + residual);
                    }
                }
            }
        }
    }

    @Test
    void reluScaleBackwardPlanesIsOneCallPerPlane() {
        for (KernelProvider p : providers()) {
            for (int planes : PLANES) {
                for (int n : SIZES) {
                    int len = planes * n;
                    float[] y = values(len, 3L * len);
                    float[] g = values(len, 3L * len + 1);
                    float[] x = values(len, 3L * len + 2);
                    float[] mean = values(planes, planes);
                    float[] scale = values(planes, planes + 1);
                    for (int outputs = 0; outputs < 8; outputs++) {
                        boolean withDz = (outputs & 1) != 0;
                        boolean withDx = (outputs & 2) != 0;
                        boolean withSums = (outputs & 4) != 0;
                        float[] dzWant = withDz ? values(len, 5) : null;
                        float[] dxWant = withDx ? values(len, 6) : null;
                        float[] sumsWant = withSums ? new float[2 * planes] : null;
                        float[] dzGot = withDz ? dzWant.clone() : null;
                        float[] dxGot = withDx ? dxWant.clone() : null;
                        float[] sumsGot = withSums ? new float[2 * planes] : null;
                        float[] one = new float[2];
                        for (int k = 0; k < planes; k++) {
                            int at = k * n;
                            p.reluScaleBackward(y, OFFSET + at, g, 1 + at, x, 2 + at, mean[OFFSET + k], scale[OFFSET + k], dzWant,
                                    OFFSET + at, dxWant, at, withSums ? one : null, n);
                            if (withSums) {
                                sumsWant[2 * k] = one[0];
                                sumsWant[2 * k + 1] = one[1];
                            }
                        }
                        p.reluScaleBackwardPlanes(y, OFFSET, g, 1, x, 2, mean, scale, OFFSET, planes, dzGot, OFFSET, dxGot, 0,
                                sumsGot, n);
                        String at = p.name() + " planes=" + planes + " n=" + n + " outputs=" + outputs;
                        assertArrayEquals(dzWant, dzGot, "dz " + at);
                        assertArrayEquals(dxWant, dxGot, "dx " + at);
                        assertArrayEquals(sumsWant, sumsGot, "sums " + at);
                    }
                }
            }
        }
    }
}
