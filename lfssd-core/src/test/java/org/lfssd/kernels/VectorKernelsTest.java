package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API provider against the scalar definition, on sizes around the vector length (so both
 * the lane loops and the scalar tails run) and at offsets inside larger arrays.
 */
class VectorKernelsTest {
    private static final int[] SIZES = {0, 1, 3, 7, 13, 15, 16, 17, 31, 63, 64, 65, 127, 300, 1023};
    private static final int OFFSET = 5;
    private static final double EPS = Math.ulp(1f);

    private final ScalarKernels scalar = new ScalarKernels();
    private KernelProvider vector;

    @BeforeEach
    void loadProvider() {
        vector = FastKernels.vectorProvider();
    }

    /** Values spanning signs and magnitudes, with exact zeros of both signs, an infinity and a NaN when n allows. */
    private static float[] values(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + 2 * OFFSET];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble(-4, 4) * Math.pow(10, rng.nextInt(-3, 3)));
        }
        if (n > 20) {
            x[OFFSET + 3] = 0f;
            x[OFFSET + 4] = -0f;
            x[OFFSET + 9] = Float.POSITIVE_INFINITY;
            x[OFFSET + 17] = Float.NaN;
        }
        return x;
    }

    private static float[] positive(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + 2 * OFFSET];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.exp(rng.nextDouble(-8, 8));
        }
        return x;
    }

    @FunctionalInterface
    private interface Binary {
        void run(KernelProvider p, float[] a, float[] b, float[] out, int n);
    }

    private void assertBinaryExact(String name, Binary op) {
        for (int n : SIZES) {
            float[] a = values(n, n);
            float[] b = values(n, n + 1000);
            b[OFFSET] = 0f; // division by zero must agree too
            float[] expected = values(n, 7);
            float[] actual = expected.clone();
            op.run(scalar, a, b, expected, n);
            op.run(vector, a, b, actual, n);
            assertArrayEquals(expected, actual, name + " n=" + n);
        }
    }

    @Test
    void binaryElementwiseOpsRoundExactlyAsScalar() {
        assertBinaryExact("add", (p, a, b, o, n) -> p.add(a, OFFSET, b, OFFSET + 1, o, OFFSET, n));
        assertBinaryExact("sub", (p, a, b, o, n) -> p.sub(a, OFFSET, b, OFFSET + 1, o, OFFSET, n));
        assertBinaryExact("mul", (p, a, b, o, n) -> p.mul(a, OFFSET, b, OFFSET + 1, o, OFFSET, n));
        assertBinaryExact("div", (p, a, b, o, n) -> p.div(a, OFFSET, b, OFFSET, o, OFFSET, n));
        assertBinaryExact("axpy", (p, a, b, o, n) -> p.axpy(-0.37f, a, OFFSET + 2, o, OFFSET, n));
        assertBinaryExact("scale", (p, a, b, o, n) -> p.scale(1.7f, a, OFFSET, o, OFFSET - 1, n));
        assertBinaryExact("addScalar", (p, a, b, o, n) -> p.addScalar(2.5f, a, OFFSET, o, OFFSET + 1, n));
        assertBinaryExact("accumulateMap(ABS)", (p, a, b, o, n) -> p.accumulateMap(UnaryOp.ABS, a, OFFSET, o, OFFSET + 2, n));
        assertBinaryExact("accumulateMap(SQUARE)", (p, a, b, o, n) -> p.accumulateMap(UnaryOp.SQUARE, a, OFFSET, o, OFFSET, n));
        assertBinaryExact("accumulateMap(RELU)", (p, a, b, o, n) -> p.accumulateMap(UnaryOp.RELU, a, OFFSET + 1, o, OFFSET, n));
    }

    @Test
    void scaleShiftAddReluIsTheFourOpsInOnePass() {
        assertBinaryExact("scaleShiftAddRelu", (p, a, b, o, n) -> p.scaleShiftAddRelu(1.7f, -0.3f, a, OFFSET, b, OFFSET + 1, o, OFFSET, n));
        assertBinaryExact("scaleShiftAddRelu(no residual)",
                (p, a, b, o, n) -> p.scaleShiftAddRelu(0.9f, 0.25f, a, OFFSET + 2, null, 0, o, OFFSET, n));
        for (KernelProvider p : new KernelProvider[] {scalar, vector}) {
            for (int n : SIZES) {
                float[] x = values(n, 3 * n);
                float[] r = values(n, 3 * n + 1);
                float[] composed = new float[n + 2 * OFFSET];
                p.scale(1.7f, x, OFFSET, composed, OFFSET, n);
                p.addScalar(-0.3f, composed, OFFSET, composed, OFFSET, n);
                p.add(composed, OFFSET, r, OFFSET, composed, OFFSET, n);
                p.map(UnaryOp.RELU, composed, OFFSET, composed, OFFSET, n);
                float[] fused = new float[n + 2 * OFFSET];
                p.scaleShiftAddRelu(1.7f, -0.3f, x, OFFSET, r, OFFSET, fused, OFFSET, n);
                assertArrayEquals(composed, fused, p.getClass().getSimpleName() + " n=" + n);
            }
        }
    }

    @Test
    void reluScaleBackwardIsTheFiveOpsInOnePass() {
        for (KernelProvider p : new KernelProvider[] {scalar, vector}) {
            for (int n : SIZES) {
                float[] y = values(n, 5 * n);
                float[] g = values(n, 5 * n + 1);
                float[] x = values(n, 5 * n + 2);
                int len = n + 2 * OFFSET;
                float[] dz = new float[len];
                p.mapBackward(UnaryOp.RELU, y, OFFSET, g, OFFSET + 1, dz, OFFSET, n);
                float[] centred = new float[len];
                p.addScalar(-0.37f, x, OFFSET + 2, centred, OFFSET, n);
                float[] dx = new float[len];
                p.scale(1.3f, dz, OFFSET, dx, OFFSET, n);
                float[] sums = {p.sum(dz, OFFSET, n), p.dot(dz, OFFSET, centred, OFFSET, n)};
                float[] fusedDz = new float[len];
                float[] fusedDx = new float[len];
                float[] fusedSums = new float[2];
                p.reluScaleBackward(y, OFFSET, g, OFFSET + 1, x, OFFSET + 2, 0.37f, 1.3f, fusedDz, OFFSET, fusedDx, OFFSET,
                        fusedSums, n);
                String at = p.getClass().getSimpleName() + " n=" + n;
                assertArrayEquals(dz, fusedDz, "dz " + at);
                assertArrayEquals(dx, fusedDx, "dx " + at);
                assertArrayEquals(sums, fusedSums, "sums " + at);
                float[] onlySums = new float[2];
                p.reluScaleBackward(y, OFFSET, g, OFFSET + 1, x, OFFSET + 2, 0.37f, 1.3f, null, 0, null, 0, onlySums, n);
                assertArrayEquals(sums, onlySums, "sums alone " + at);
            }
        }
    }

    @Test
    void inPlaceAliasingIsAllowed() {
        float[] x = values(300, 3);
        float[] expected = x.clone();
        scalar.add(expected, OFFSET, expected, OFFSET, expected, OFFSET, 300);
        vector.add(x, OFFSET, x, OFFSET, x, OFFSET, 300);
        assertArrayEquals(expected, x);
    }

    @Test
    void unaryMapMatchesScalar() {
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : SIZES) {
                boolean positiveDomain = op == UnaryOp.SQRT || op == UnaryOp.LOG;
                float[] x = positiveDomain ? positive(n, n) : values(n, n);
                float[] expected = new float[x.length];
                float[] actual = new float[x.length];
                scalar.map(op, x, OFFSET, expected, 1, n);
                vector.map(op, x, OFFSET, actual, 1, n);
                if (op == UnaryOp.GELU) {
                    assertGeluClose(op + " n=" + n, x, OFFSET, null, 0, expected, actual, 1, n);
                } else if (op == UnaryOp.EXP || op == UnaryOp.LOG) {
                    assertClose(op + " n=" + n, expected, actual, 1e-6);
                } else {
                    assertArrayEquals(expected, actual, op + " n=" + n);
                }
            }
        }
    }

    @Test
    void unaryMapHandlesOutOfDomainLikeScalar() {
        float[] x = {-1f, 0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 1f, 2f};
        for (UnaryOp op : new UnaryOp[] {UnaryOp.SQRT, UnaryOp.LOG, UnaryOp.EXP, UnaryOp.RELU}) {
            float[] expected = new float[x.length];
            float[] actual = new float[x.length];
            scalar.map(op, x, 0, expected, 0, x.length);
            vector.map(op, x, 0, actual, 0, x.length);
            assertClose(op + " out of domain", expected, actual, 1e-6);
        }
    }

    @Test
    void unaryBackwardMatchesScalar() {
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : SIZES) {
                boolean positiveDomain = op == UnaryOp.SQRT || op == UnaryOp.LOG;
                float[] x = positiveDomain ? positive(n, n) : values(n, n);
                float[] g = values(n, n + 77);
                float[] expected = new float[x.length];
                float[] actual = new float[x.length];
                scalar.mapBackward(op, x, OFFSET, g, OFFSET + 1, expected, 2, n);
                vector.mapBackward(op, x, OFFSET, g, OFFSET + 1, actual, 2, n);
                if (op == UnaryOp.GELU) {
                    assertGeluClose(op + "' n=" + n, x, OFFSET, g, OFFSET + 1, expected, actual, 2, n);
                } else if (op == UnaryOp.EXP || op == UnaryOp.SQRT) {
                    // Derivative computed in float lanes rather than via double: a couple of ulps apart.
                    assertClose(op + "' n=" + n, expected, actual, 1e-6);
                } else {
                    assertArrayEquals(expected, actual, op + "' n=" + n);
                }
            }
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, double rel) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isInfinite(e) || e == 0f) {
                assertEquals(e, a, what + " at " + i);
            } else {
                assertEquals(e, a, Math.abs(e) * rel, what + " at " + i);
            }
        }
    }

    /** Where GELU' crosses zero. */
    private static final double GELU_DERIVATIVE_ROOT = -0.7517915;

    /**
     * GELU's lanes evaluate the scalar provider's form in float instead of double ({@code GeluTest} checks
     * both against mpmath), so they agree within 1e-6 relative, about 8 float ulps (measured worst:
     * 4.2e-7 forward, 7.1e-7 backward). Two places need an absolute bound instead, scaled by the upstream
     * gradient {@code |g|}: within 0.25 of the derivative's zero, where {@code Phi(x)} and {@code x phi(x)}
     * (both about 0.2) cancel, 1.5e-7 (measured 8.8e-8); and for {@code 13.2 < |x| < 14.4}, where float's
     * {@code exp(-x^2/2)} is subnormal and keeps only a few significant bits, 1e-43 (an error of
     * {@code 2^-150} in it, times at most {@code |x| phi + Phi < 6}, is below 5e-45).
     *
     * @param g upstream gradient for backward, null for forward
     * @param outOff {@code expected[outOff + k]} belongs to {@code x[xOff + k]} (and {@code g[gOff + k]}), k < n
     */
    private static void assertGeluClose(String what, float[] x, int xOff, float[] g, int gOff, float[] expected,
                                        float[] actual, int outOff, int n) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            int k = i - outOff;
            if (Float.isNaN(e) || Float.isInfinite(e) || k < 0 || k >= n) {
                assertEquals(e, a, what + " at " + i); // also the untouched elements around the output
                continue;
            }
            double xi = x[xOff + k];
            double scale = g == null ? 1 : Math.abs(g[gOff + k]);
            double tolerance = 1e-6 * Math.abs(e) + 1e-43 * Math.max(1, scale);
            if (g != null && Math.abs(xi - GELU_DERIVATIVE_ROOT) < 0.25) {
                tolerance = 1.5e-7 * scale;
            }
            assertEquals(e, a, tolerance, what + " at " + i + ", x=" + xi);
        }
    }

    @Test
    void reductionsAgreeWithinTheFloatSummationBound() {
        for (int n : SIZES) {
            float[] x = finiteValues(n, n);
            float[] y = finiteValues(n, n + 5);
            double absSum = 0;
            double sqSum = 0;
            double absDot = 0;
            for (int i = 0; i < n; i++) {
                absSum += Math.abs(x[OFFSET + i]);
                sqSum += (double) x[OFFSET + i] * x[OFFSET + i];
                absDot += Math.abs((double) x[OFFSET + i] * y[OFFSET + i]);
            }
            // Recursive float summation errs by at most (n - 1) eps times the sum of magnitudes;
            // the final rounding to float adds one ulp of the result.
            double slack = (n + 1) * EPS;
            assertEquals(scalar.sum(x, OFFSET, n), vector.sum(x, OFFSET, n), slack * absSum + 1e-30, "sum n=" + n);
            assertEquals(scalar.sumSquares(x, OFFSET, n), vector.sumSquares(x, OFFSET, n), slack * sqSum + 1e-30,
                    "sumSquares n=" + n);
            assertEquals(scalar.dot(x, OFFSET, y, OFFSET, n), vector.dot(x, OFFSET, y, OFFSET, n), slack * absDot + 1e-30,
                    "dot n=" + n);
            assertEquals(scalar.max(x, OFFSET, n), vector.max(x, OFFSET, n), "max n=" + n);
        }
    }

    private static float[] finiteValues(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + 2 * OFFSET];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-3, 3);
        }
        return x;
    }

    @Test
    void maxPropagatesNaNAndHandlesInfinities() {
        for (int n : new int[] {5, 40, 300}) {
            float[] x = finiteValues(n, 9);
            x[OFFSET + n - 2] = Float.NaN;
            assertTrue(Float.isNaN(vector.max(x, OFFSET, n)), "NaN near the end, n=" + n);
            x = finiteValues(n, 9);
            x[OFFSET + 1] = Float.NaN;
            assertTrue(Float.isNaN(vector.max(x, OFFSET, n)), "NaN near the start, n=" + n);
            float[] neg = new float[n];
            java.util.Arrays.fill(neg, Float.NEGATIVE_INFINITY);
            assertEquals(Float.NEGATIVE_INFINITY, vector.max(neg, 0, n));
        }
        assertEquals(Float.NEGATIVE_INFINITY, vector.max(new float[3], 1, 0), "empty max");
        assertEquals(0f, vector.sum(new float[3], 1, 0), "empty sum");
    }

    @Test
    void reductionsDoNotDependOnTheThreadCount() {
        float[] x = finiteValues(100_003, 11);
        float[] y = finiteValues(100_003, 12);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float s1 = vector.sum(x, OFFSET, 100_000);
            float d1 = vector.dot(x, OFFSET, y, 1, 100_000);
            float q1 = vector.sumSquares(x, 2, 100_000);
            Parallel.setThreads(2);
            assertEquals(Float.floatToIntBits(s1), Float.floatToIntBits(vector.sum(x, OFFSET, 100_000)));
            assertEquals(Float.floatToIntBits(d1), Float.floatToIntBits(vector.dot(x, OFFSET, y, 1, 100_000)));
            assertEquals(Float.floatToIntBits(q1), Float.floatToIntBits(vector.sumSquares(x, 2, 100_000)));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void geluOverManyVectorsMatchesScalarWithinItsTolerance() {
        int n = 10_007; // hundreds of vectors and a tail
        float[] x = values(n, 21);
        float[] g = values(n, 22);
        float[] expected = new float[x.length];
        float[] expectedGrad = new float[x.length];
        float[] actual = new float[x.length];
        float[] actualGrad = new float[x.length];
        scalar.map(UnaryOp.GELU, x, OFFSET, expected, 0, n);
        scalar.mapBackward(UnaryOp.GELU, x, OFFSET, g, 1, expectedGrad, 0, n);
        vector.map(UnaryOp.GELU, x, OFFSET, actual, 0, n);
        vector.mapBackward(UnaryOp.GELU, x, OFFSET, g, 1, actualGrad, 0, n);
        assertGeluClose("GELU", x, OFFSET, null, 0, expected, actual, 0, n);
        assertGeluClose("GELU'", x, OFFSET, g, 1, expectedGrad, actualGrad, 0, n);
    }

    @Test
    void reportsItsWidth() {
        assertEquals("vector", vector.name());
        assertTrue(vector.vectorBitSize() >= 128, "bits " + vector.vectorBitSize());
        assertTrue(vector.gemm().name().startsWith("java-vector"), vector.gemm().name());
    }
}
