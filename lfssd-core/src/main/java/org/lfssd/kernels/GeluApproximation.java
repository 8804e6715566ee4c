package org.lfssd.kernels;

/**
 * The float coefficients of the SIMD GELU (the lanes live in {@code org.lfssd.kernels.vector.GeluLanes},
 * which may use the incubating Vector API; this class may not, so it only holds the numbers).
 *
 * <p>The exact GELU is {@code x Phi(x)} with the normal CDF {@code Phi}. For {@code u = |x|} write the
 * lower tail as {@code Phi(-u) = exp(-u^2/2) H(u)}, where {@code H(u) = erfcx(u/sqrt 2)/2} is smooth,
 * positive and falls like {@code 1/(u sqrt(2 pi))}. Then
 * <ul>
 *   <li>{@code Phi(x) = exp(-u^2/2) H(u)} for {@code x <= 0}: a product, so relative accuracy survives
 *       all the way into the far tail, where {@code 1 - Phi(u)} would have cancelled to nothing;</li>
 *   <li>{@code Phi(x) = 1 - exp(-u^2/2) H(u)} for {@code x > 0}, which is at least 1/2: no cancellation;</li>
 *   <li>{@code H(u) = P(T)/(K + u)} with {@code T = (K - u)/(K + u)}: the Moebius map sends
 *       {@code u} in {@code [0, inf)} to {@code T} in {@code (-1, 1]}, and a degree-9 polynomial {@code P}
 *       with coefficients below 1 fits to 3e-8 relative on {@code [0, 16]} (beyond, {@code exp(-u^2/2)}
 *       underflows float).</li>
 * </ul>
 * One form covers every x, so the lanes need no table lookups, only a blend on the sign. The same
 * construction in double with a degree-20 polynomial is {@link Erf}, which the scalar provider uses.
 *
 * <p>The constants are printed by {@code lfssd-core/src/test/python/fit_erf.py} (a relative minimax fit
 * against mpmath). Evaluated in float with fused multiply-adds, {@code H} is within 2.3e-7 relative
 * of the truth (about 2 ulps, mostly the roundings of {@code T} and {@code 1/(K + u)}).
 */
public final class GeluApproximation {
    private GeluApproximation() {}

    /** The centre of the Moebius map; a float, so that {@code T} is formed without a rounded constant. */
    public static final float K = 3.5f;

    // ---- printed by lfssd-core/src/test/python/fit_erf.py: P(T) = P0 + P1 T + ... + P9 T^9
    /** Coefficient of T^0 in P(T). */
    public static final float P0 = 0.7444160580635071f;
    /** Coefficient of T^1 in P(T). */
    public static final float P1 = 0.5655617117881775f;
    /** Coefficient of T^2 in P(T). */
    public static final float P2 = 0.31542518734931946f;
    /** Coefficient of T^3 in P(T). */
    public static final float P3 = 0.11605340242385864f;
    /** Coefficient of T^4 in P(T). */
    public static final float P4 = 0.017404654994606972f;
    /** Coefficient of T^5 in P(T). */
    public static final float P5 = -0.0064946794882416725f;
    /** Coefficient of T^6 in P(T). */
    public static final float P6 = -0.003167941467836499f;
    /** Coefficient of T^7 in P(T). */
    public static final float P7 = 0.0004947424749843776f;
    /** Coefficient of T^8 in P(T). */
    public static final float P8 = 0.000411717890528962f;
    /** Coefficient of T^9 in P(T). */
    public static final float P9 = -0.00010486851533642039f;
    // ---- end of printed constants

    /**
     * The upper end of the fit. Lanes clamp {@code |x|} to it: {@code exp(-u^2/2)} is already 0 in float
     * there (it underflows past 14.4), so the clamp changes no result but keeps {@code u^2} and {@code T}
     * finite for huge and infinite inputs.
     */
    public static final float U_MAX = 16f;

    /** {@code 1/sqrt(2 pi)}, the normal density at 0. */
    public static final float INV_SQRT_2PI = 0.3989422804014327f;
}
