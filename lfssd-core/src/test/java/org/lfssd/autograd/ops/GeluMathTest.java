package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Erf;

class GeluMathTest {
    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /** The reference: the exact GELU from the library's double-precision erf. */
    private static double exactGelu(double x) {
        return 0.5 * x * Erf.erfc(-x * SQRT_HALF);
    }

    private static double exactSlope(double x) {
        return 0.5 * Erf.erfc(-x * SQRT_HALF) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Every float on a dense grid over [-12, 12] plus the extremes. */
    private static float[] grid() {
        int n = 240_001;
        float[] x = new float[n + 4];
        for (int i = 0; i < n; i++) {
            x[i] = -12f + 24f * i / (n - 1);
        }
        x[n] = 1e-30f;
        x[n + 1] = -1e-30f;
        x[n + 2] = 1e30f;
        x[n + 3] = -50f;
        return x;
    }

    @Test
    void forwardIsWithinOneRoundingOfTheExactGelu() {
        float[] x = grid();
        float[] y = new float[x.length];
        GeluMath.forward(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double want = exactGelu(x[i]);
            // One float rounding of the result, plus the 1.5e-10·|x| absolute error of the erf fit.
            double tol = Math.ulp((float) want) + 2e-10 * Math.abs(x[i]) + 1e-38;
            assertEquals(want, y[i], tol, "gelu(" + x[i] + ")");
        }
    }

    @Test
    void backwardIsWithinOneRoundingOfTheExactSlope() {
        float[] x = grid();
        float[] g = new float[x.length];
        java.util.Arrays.fill(g, 1f);
        float[] d = new float[x.length];
        GeluMath.backward(x, 0, g, 0, d, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double want = exactSlope(x[i]);
            double tol = Math.ulp((float) want) + 1e-9;
            assertEquals(want, d[i], tol, "gelu'(" + x[i] + ")");
        }
    }

    @Test
    void specialValues() {
        float[] x = {0f, -0f, Float.POSITIVE_INFINITY, Float.NaN};
        float[] y = new float[x.length];
        GeluMath.forward(x, 0, y, 0, x.length);
        assertEquals(0f, y[0]);
        assertEquals(Float.POSITIVE_INFINITY, y[2]);
        assertTrue(Float.isNaN(y[3]));
        float[] g = {2f, 2f, 2f, 2f};
        float[] d = new float[x.length];
        GeluMath.backward(x, 0, g, 0, d, 0, x.length);
        assertEquals(1f, d[0]);
        assertEquals(1f, d[1]);
        assertEquals(2f, d[2]);
        assertTrue(Float.isNaN(d[3]));
    }

    @Test
    void writesOnlyItsWindow() {
        float[] x = {9f, 1f, -1f, 9f};
        float[] y = {7f, 7f, 7f, 7f};
        GeluMath.forward(x, 1, y, 1, 2);
        assertEquals(7f, y[0]);
        assertEquals(7f, y[3]);
        assertEquals((float) exactGelu(1), y[1], Math.ulp(1f));
    }
}
