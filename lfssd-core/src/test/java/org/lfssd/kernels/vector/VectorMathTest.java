package org.lfssd.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lane exp/log against the correctly rounded double results, in float ulps, and their special values. */
class VectorMathTest {

    @BeforeAll
    static void vectorModulePresent() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "needs --add-modules jdk.incubator.vector");
    }

    private static float[] apply(UnaryOperator<FloatVector> f, float[] x) {
        int l = FloatVector.SPECIES_PREFERRED.length();
        float[] padded = java.util.Arrays.copyOf(x, (x.length + l - 1) / l * l);
        float[] out = new float[padded.length];
        for (int i = 0; i < padded.length; i += l) {
            f.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, padded, i)).intoArray(out, i);
        }
        return java.util.Arrays.copyOf(out, x.length);
    }

    /** Largest error in units of the float ulp of the exact result (subnormal ulps included). */
    private static double maxUlps(UnaryOperator<FloatVector> f, DoubleUnaryOperator exact, float[] x) {
        float[] got = apply(f, x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = exact.applyAsDouble(x[i]);
            if (got[i] == (float) e) {
                continue; // also covers overflow to +Inf and underflow to 0
            }
            double ulp = Math.ulp((float) e);
            worst = Math.max(worst, Math.abs(got[i] - e) / ulp);
        }
        return worst;
    }

    @Test
    void expIsWithinTwoUlpsEverywhere() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 206 - 104); // normal, subnormal and overflow-edge results
        }
        double ulps = maxUlps(VectorMath::exp, Math::exp, x);
        assertTrue(ulps <= 2.0, "exp max error " + ulps + " ulps");
    }

    @Test
    void expSpecialValues() {
        float[] got = apply(VectorMath::exp, new float[] {0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 89f, -105f, -0f});
        assertEquals(1f, got[0]);
        assertTrue(Float.isNaN(got[1]));
        assertEquals(Float.POSITIVE_INFINITY, got[2]);
        assertEquals(0f, got[3]);
        assertEquals(Float.POSITIVE_INFINITY, got[4]);
        assertEquals(0f, got[5]);
        assertEquals(1f, got[6]);
    }

    @Test
    void logIsWithinTwoUlpsOnPositiveNormalsAndSubnormals() {
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.exp(rng.nextDouble() * 190 - 100); // ~1e-44 .. 1e39
        }
        double ulps = maxUlps(VectorMath::log, Math::log, x);
        assertTrue(ulps <= 2.0, "log max error " + ulps + " ulps");
        float[] near1 = new float[20_000];
        for (int i = 0; i < near1.length; i++) {
            near1[i] = (float) (0.5 + rng.nextDouble()); // where log is small and cancellation would show
        }
        double ulpsNear1 = maxUlps(VectorMath::log, Math::log, near1);
        assertTrue(ulpsNear1 <= 2.0, "log max error near 1: " + ulpsNear1 + " ulps");
    }

    @Test
    void logSpecialValues() {
        float[] got = apply(VectorMath::log, new float[] {1f, 0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE});
        assertEquals(0f, got[0]);
        assertEquals(Float.NEGATIVE_INFINITY, got[1]);
        assertTrue(Float.isNaN(got[2]));
        assertTrue(Float.isNaN(got[3]));
        assertEquals(Float.POSITIVE_INFINITY, got[4]);
        assertEquals((float) Math.log(Float.MIN_VALUE), got[5], Math.ulp((float) Math.log(Float.MIN_VALUE)) * 2);
    }
}
