package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelProvider#expSum}, softmax's fused exp-and-sum pass: each provider's outputs are exactly
 * its own {@code map(EXP)} of {@code x - shift}, its sum matches the double sum of those outputs, and the
 * vector provider stays within a couple of ulps of the scalar reference, on odd sizes around the vector
 * length and at offsets inside larger arrays.
 */
class ExpSumKernelTest {
    private static final int[] SIZES = {0, 1, 3, 5, 15, 16, 17, 33, 65, 197, 1001};
    private static final int OFFSET = 3;

    private static float[] values(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + 2 * OFFSET];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-12, 3);
        }
        return x;
    }

    private static void checkProvider(KernelProvider p) {
        for (int n : SIZES) {
            float[] x = values(n, n);
            float shift = n == 0 ? 0f : p.max(x, OFFSET, n);
            float[] out = new float[n + 2 * OFFSET];
            float sum = p.expSum(shift, x, OFFSET, out, 1, n);
            float[] shifted = new float[n];
            p.addScalar(-shift, x, OFFSET, shifted, 0, n);
            float[] expected = new float[n];
            p.map(UnaryOp.EXP, shifted, 0, expected, 0, n);
            double total = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[1 + i]),
                        p.name() + " n=" + n + " element " + i);
                total += out[1 + i];
            }
            // Lane partial sums in float: a relative error of a few n·ulp at most.
            assertEquals(total, sum, 4 * Math.max(1, n / 16) * Math.ulp((float) total) + 1e-30, p.name() + " sum n=" + n);
        }
    }

    @Test
    void scalarOutputsAreItsExpAndSumIsTheirSum() {
        checkProvider(new ScalarKernels());
    }

    @Test
    void vectorOutputsAreItsExpAndSumIsTheirSum() {
        checkProvider(FastKernels.vectorProvider());
    }

    @Test
    void vectorMatchesScalarReference() {
        KernelProvider vector = FastKernels.vectorProvider();
        ScalarKernels scalar = new ScalarKernels();
        for (int n : SIZES) {
            float[] x = values(n, 100 + n);
            float[] a = new float[n];
            float[] b = new float[n];
            float sa = scalar.expSum(1.5f, x, OFFSET, a, 0, n);
            float sb = vector.expSum(1.5f, x, OFFSET, b, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(a[i], b[i], 2 * Math.ulp(a[i]), "n=" + n + " element " + i);
            }
            assertEquals(sa, sb, (2 + n / 16.0) * Math.ulp(sa), "sum n=" + n);
        }
    }

    @Test
    void paddingLanesDoNotEnterTheSum() {
        // exp(0 - 0) = 1 per element: the sum counts exactly n, whatever the padded tail held.
        KernelProvider vector = FastKernels.vectorProvider();
        for (int n : SIZES) {
            float[] x = new float[n];
            assertEquals(n, vector.expSum(0f, x, 0, new float[n], 0, n), 0f, "n=" + n);
        }
    }
}
