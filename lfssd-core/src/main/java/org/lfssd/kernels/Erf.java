package org.lfssd.kernels;

/**
 * The error function in double precision, accurate to well below float32 resolution, for the exact
 * (erf-form) GELU. {@link Math} has no erf, and commons-math3's goes through the incomplete gamma
 * function, which is far slower than this.
 *
 * <p>Two classical expansions, each used where it converges fast and without cancellation:
 * <ul>
 *   <li>{@code |z| < 2.5}: {@code erf(z) = 2/sqrt(pi) * exp(-z^2) * sum_n 2^n z^(2n+1) / (1*3*...*(2n+1))}
 *       (all terms positive, so no cancellation);</li>
 *   <li>{@code |z| >= 2.5}: {@code erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))},
 *       Laplace's continued fraction, evaluated bottom-up with a fixed depth.</li>
 * </ul>
 */
public final class Erf {
    private Erf() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double SWITCH = 2.5;
    private static final int FRACTION_DEPTH = 60;

    public static double erf(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        double a = Math.abs(z);
        double r = a < SWITCH ? series(a) : 1.0 - erfcFraction(a);
        return z < 0 ? -r : r;
    }

    /** {@code 1 - erf(z)}, accurate in relative terms also for large positive z. */
    public static double erfc(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        if (z >= SWITCH) {
            return erfcFraction(z);
        }
        if (z <= -SWITCH) {
            return 2.0 - erfcFraction(-z);
        }
        return 1.0 - (z < 0 ? -series(-z) : series(z));
    }

    private static double series(double a) {
        double z2 = a * a;
        double term = a;
        double sum = a;
        // term_n = term_{n-1} * 2 z^2 / (2n + 1); stop once it no longer changes the sum.
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * z2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
    }

    private static double erfcFraction(double a) {
        if (a > 27) {
            return 0.0; // exp(-a^2) underflows double
        }
        double f = a;
        for (int k = FRACTION_DEPTH; k >= 1; k--) {
            f = a + (k / 2.0) / f;
        }
        return ONE_OVER_SQRT_PI * Math.exp(-a * a) / f;
    }
}
