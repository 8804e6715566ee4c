package org.lfssd.unlearn;

import java.util.Locale;

/**
 * The text of the warning logged when a dampening selected nothing. It states the 1/φ bound on
 * Ω_f/Ω_D only where that bound holds, and never one the data just exceeded.
 *
 * <p>Ω_D is computed on D, which contains D_f (a share φ = |D_f|/|D|). The ratio Ω_f/Ω_D is then at most
 * about 1/φ in two cases only:
 * <ul>
 *   <li>{@link Reduction#PER_SAMPLE}: Ω_D = (1/N)·Σ|g_i| ≥ φ·Ω_f exactly;</li>
 *   <li>{@link Reduction#REFERENCE} when the forget samples formed their own batches in Ω_D's pass (the
 *       authors' unshuffled retain-then-forget order), since the same forget batches are in both sums.</li>
 * </ul>
 * With the per-batch reduction and forget samples mixed into batches with retained ones (the usual case
 * when Ω_D is computed once after training, before anyone knows what will be forgotten), batch-mean
 * gradients partly cancel and ratios far above 1/φ occur. The library cannot tell the batch order, so for
 * the per-batch reduction the bound is stated as conditional.
 */
final class OutOfReachWarning {
    private OutOfReachWarning() {}

    /**
     * @param method        the importance method, for the message
     * @param reduction     the reduction both importances used
     * @param maxRatio      the largest Ω_f/Ω_D present
     * @param alpha         the α that was used
     * @param forgetSamples |D_f|
     * @param fullSamples   |D|
     */
    static String message(Method method, Reduction reduction, double maxRatio, double alpha, long forgetSamples,
                          long fullSamples) {
        double share = forgetSamples / (double) fullSamples;
        double bound = 1 / share;
        StringBuilder msg = new StringBuilder(String.format(Locale.ROOT,
                "%s selected no parameter: the largest ratio Ω_f/Ω_D present is %.4g, not above α = %.4g;"
                        + " choose α below %.4g (or use the adaptive α) to forget.",
                method, maxRatio, alpha, maxRatio));
        if (!(share > 0 && share <= 1)) {
            return msg.toString(); // Ω_D on fewer samples than Ω_f: warned about separately, no bound to state
        }
        // A little slack for float rounding: the bound is exact in real arithmetic only.
        boolean exceeded = maxRatio > bound * (1 + 1e-4);
        if (exceeded) {
            msg.append(String.format(Locale.ROOT, " (That ratio exceeds 1/φ = %.4g, φ = %.3g%% the forget set's"
                            + " share of D, so no 1/φ bound applies to this Ω_D: its batches mixed forget and retained"
                            + " samples.)", bound, 100 * share));
        } else if (reduction == Reduction.PER_SAMPLE) {
            msg.append(String.format(Locale.ROOT, " With the per-sample reduction Ω_D ≥ φ·Ω_f, where φ = %.3g%% is the"
                            + " forget set's share of D, so ratios above 1/φ = %.4g cannot occur.", 100 * share, bound));
        } else {
            msg.append(String.format(Locale.ROOT, " If the forget samples formed their own batches in Ω_D's pass (the"
                            + " authors' retain-then-forget order), ratios above about 1/φ = %.4g (φ = %.3g%%, the forget"
                            + " set's share of D) cannot occur; with forget samples mixed into the batches of D they can.",
                    bound, 100 * share));
        }
        return msg.toString();
    }
}
