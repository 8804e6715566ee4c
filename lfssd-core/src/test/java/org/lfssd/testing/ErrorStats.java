package org.lfssd.testing;

import java.util.Arrays;

/**
 * How far an actual tensor is from an expected one, under the mixed bound
 * {@code |actual - expected| <= atol + rtol * |expected|} applied per element.
 *
 * <p>{@code maxAbs} is the largest absolute difference. {@code maxRel} is the largest
 * {@code |actual - expected| / |expected|} over elements with {@code |expected| > atol}; below that the
 * ratio says nothing useful (a 1e-9 vs 2e-9 pair is "100% off" yet irrelevant) and the absolute term of
 * the bound is what applies. {@code toleranceUsed} is the largest ratio of an element's difference to
 * its allowance: at most 1 when everything passes, and it shows the headroom left. {@code worst} is the
 * flat index of the element with that largest ratio.
 */
public final class ErrorStats {
    private final int[] shape;
    private final double maxAbs;
    private final double maxRel;
    private final double toleranceUsed;
    private final int worst;
    private final float worstExpected;
    private final float worstActual;
    private final int failures;

    ErrorStats(int[] shape, double maxAbs, double maxRel, double toleranceUsed, int worst, float worstExpected,
               float worstActual, int failures) {
        this.shape = shape.clone();
        this.maxAbs = maxAbs;
        this.maxRel = maxRel;
        this.toleranceUsed = toleranceUsed;
        this.worst = worst;
        this.worstExpected = worstExpected;
        this.worstActual = worstActual;
        this.failures = failures;
    }

    public double maxAbs() {
        return maxAbs;
    }

    public double maxRel() {
        return maxRel;
    }

    /** Largest difference / allowance over the elements; {@code <= 1} means every element passed. */
    public double toleranceUsed() {
        return toleranceUsed;
    }

    /** Number of elements outside the bound (a NaN where a number was expected counts as one). */
    public int failures() {
        return failures;
    }

    public boolean passed() {
        return failures == 0;
    }

    /** Flat index of the element that used most of its allowance (-1 for an empty tensor). */
    public int worstIndex() {
        return worst;
    }

    @Override
    public String toString() {
        String where = worst < 0 ? "no elements"
                : "worst at flat index " + worst + " of " + Arrays.toString(shape) + ": expected " + worstExpected
                        + ", actual " + worstActual;
        return String.format("maxAbs %.3e, maxRel %.3e, tolerance used %.3f, %d failing; %s",
                maxAbs, maxRel, toleranceUsed, failures, where);
    }
}
