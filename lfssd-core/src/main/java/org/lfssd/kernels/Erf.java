package org.lfssd.kernels;

/**
 * The error function in double precision, to about 1e-14 relative, for the exact (erf-form) GELU.
 * {@link Math} has no erf, and commons-math3's goes through the incomplete gamma function, which is
 * far slower than this.
 *
 * <p>Everything rests on the scaled complement {@code erfcx(z) = exp(z^2) erfc(z)}, which is smooth,
 * positive and slowly varying on {@code z >= 0} (it falls like {@code 1/(z sqrt(pi))}). With the
 * Moebius variable {@code T = (K - z)/(K + z)}, which maps {@code [0, inf)} onto {@code (-1, 1]},
 * {@code erfcx(z) (K + z)} is one degree-20 polynomial in {@code T} over the whole half-line, with
 * coefficients of order one (so Horner's rule does not cancel). The coefficients are a relative
 * minimax fit printed by {@code lfssd-core/src/test/python/fit_erf.py}. Then:
 * <ul>
 *   <li>{@code erfc(z) = exp(-z^2) erfcx(z)} for {@code z >= 0}: a product, so it stays accurate in
 *       relative terms down to underflow; {@code z^2} is split exactly into a double and its rounding
 *       error so that {@code exp} sees the true square even where {@code z^2} is in the hundreds;</li>
 *   <li>{@code erfc(z) = 2 - erfc(-z)} for {@code z < 0} (a value in {@code (1, 2]}, no cancellation);</li>
 *   <li>{@code erf(z) = 1 - erfc(z)} for {@code |z| >= 1/2}, where {@code erf} is at least 0.52;
 *       below, the Taylor series {@code z * sum c_n z^(2n)} to {@code n = 11}, which cannot lose the
 *       relative accuracy of tiny arguments the way {@code 1 - erfc} would.</li>
 * </ul>
 * A call costs a division, an {@code exp} and some twenty fused multiply-adds.
 */
public final class Erf {
    private Erf() {}

    /** Below this, {@code erf} uses its Taylor series; above, {@code 1 - erfc}. */
    private static final double TAYLOR_LIMIT = 0.5;
    /** {@code exp(-z^2)} is 0 in double beyond this, so {@code erfc} is too. */
    private static final double ERFC_UNDERFLOW = 27.3;

    // ---- printed by lfssd-core/src/test/python/fit_erf.py (max relative error of erfcx 8.9e-15)
    private static final double K = 4.0;
    /** erfcx(z) (K + z) as a polynomial in T, ascending powers. */
    private static final double[] ERFCX = {
        1.09599566100049,
        0.9765487290808251,
        0.7732087022647606,
        0.5408538313165616,
        0.33085158789761626,
        0.17401093718471303,
        0.07638151462321116,
        0.026370053740413568,
        0.006112057720296937,
        0.00028095735604188876,
        -0.00045506123753863426,
        -0.00017680967199970588,
        -3.613265508017882e-06,
        1.8857414460782262e-05,
        4.658593809325762e-06,
        -1.4227661432331118e-06,
        -8.088551825546908e-07,
        7.621500441867823e-08,
        1.0041694076257102e-07,
        -1.6437590177886818e-09,
        -7.3850220105864395e-09
    };
    /** erf(z) / z as a polynomial in z^2, ascending powers. */
    private static final double[] ERF_TAYLOR = {
        1.1283791670955126,
        -0.37612638903183752,
        0.11283791670955126,
        -0.026866170645131252,
        0.0052239776254421878,
        -0.00085483270234508528,
        0.00012055332981789664,
        -1.4925650358406251e-5,
        1.6462114365889247e-6,
        -1.6365844691234924e-7,
        1.4807192815879217e-8,
        -1.2290555301717927e-9
    };
    // ---- end of printed constants

    /**
     * The error function; odd, {@code erf(±inf) = ±1}, NaN for NaN.
     *
     * @param z the argument
     * @return erf(z)
     */
    public static double erf(double z) {
        double a = Math.abs(z);
        if (a < TAYLOR_LIMIT) {
            return z * horner(ERF_TAYLOR, z * z);
        }
        double r = 1.0 - erfcOfNonNegative(a); // also propagates NaN
        return z < 0 ? -r : r;
    }

    /**
     * {@code 1 - erf(z)}, accurate in relative terms also for large positive z (down to underflow near 27.2).
     *
     * @param z the argument
     * @return erfc(z)
     */
    public static double erfc(double z) {
        if (z < 0) {
            return 2.0 - erfcOfNonNegative(-z);
        }
        return erfcOfNonNegative(z);
    }

    /**
     * The scaled complement {@code exp(z^2) erfc(z)}, finite where {@code erfc} underflows; it tends to 0
     * as {@code 1/(z sqrt(pi))} for large z and overflows for z below about -26.6.
     *
     * @param z the argument
     * @return erfcx(z)
     */
    public static double erfcx(double z) {
        if (z < 0) {
            return 2.0 * Math.exp(z * z) - erfcxOfNonNegative(-z);
        }
        return erfcxOfNonNegative(z);
    }

    /** {@code erfcx} for {@code z >= 0} or NaN: the fitted polynomial in {@code T = (K - z)/(K + z)}. */
    static double erfcxOfNonNegative(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0.0; // T would be inf/inf
        }
        double inv = 1.0 / (K + z);
        return estrin20(ERFCX, (K - z) * inv) * inv;
    }

    /**
     * The degree-20 polynomial by Estrin's scheme: pairs, then pairs of pairs with {@code t^2}, and so on.
     * Its dependency chain is six multiply-adds deep instead of Horner's twenty, which is what bounds a
     * scalar loop over an array; with {@code |t| <= 1} and falling coefficients it rounds no worse.
     */
    private static double estrin20(double[] c, double t) {
        double t2 = t * t;
        double t4 = t2 * t2;
        double t8 = t4 * t4;
        double t16 = t8 * t8;
        double a0 = Math.fma(c[1], t, c[0]);
        double a1 = Math.fma(c[3], t, c[2]);
        double a2 = Math.fma(c[5], t, c[4]);
        double a3 = Math.fma(c[7], t, c[6]);
        double a4 = Math.fma(c[9], t, c[8]);
        double a5 = Math.fma(c[11], t, c[10]);
        double a6 = Math.fma(c[13], t, c[12]);
        double a7 = Math.fma(c[15], t, c[14]);
        double a8 = Math.fma(c[17], t, c[16]);
        double a9 = Math.fma(c[19], t, c[18]);
        double b0 = Math.fma(a1, t2, a0);
        double b1 = Math.fma(a3, t2, a2);
        double b2 = Math.fma(a5, t2, a4);
        double b3 = Math.fma(a7, t2, a6);
        double b4 = Math.fma(a9, t2, a8);
        double d0 = Math.fma(b1, t4, b0);
        double d1 = Math.fma(b3, t4, b2);
        double d2 = Math.fma(c[20], t4, b4);
        return Math.fma(d2, t16, Math.fma(d1, t8, d0));
    }

    private static double erfcOfNonNegative(double z) {
        if (z > ERFC_UNDERFLOW) {
            return 0.0;
        }
        // z^2 = hi + lo exactly; exp(-hi - lo) = exp(-hi) (1 - lo) to within lo^2 ~ 1e-27.
        double hi = z * z;
        double lo = Math.fma(z, z, -hi);
        double e = Math.exp(-hi);
        return Math.fma(e, -lo, e) * erfcxOfNonNegative(z);
    }

    private static double horner(double[] c, double t) {
        double r = c[c.length - 1];
        for (int i = c.length - 2; i >= 0; i--) {
            r = Math.fma(r, t, c[i]);
        }
        return r;
    }
}
