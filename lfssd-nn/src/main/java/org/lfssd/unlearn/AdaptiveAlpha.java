package org.lfssd.unlearn;

import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.lfssd.tensor.Tensor;

/**
 * The ASSD rule for choosing the selection threshold α automatically: α is the p-th percentile of the
 * ratios Ω_f/Ω_D over every parameter element, with p = 100 − ln(1 + 100·|D_f|/|D|).
 *
 * <p>A forget set that is a larger share of the data thus gets a lower percentile (more parameters
 * selected). Ratios that are NaN (0/0) or infinite (x/0) are left out, and the percentile interpolates
 * linearly between order statistics exactly like {@code numpy.nanpercentile}'s default (Hyndman–Fan R-7).
 */
public final class AdaptiveAlpha {
    private AdaptiveAlpha() {}

    /**
     * The percentile level p for a forget set of {@code forgetSamples} out of {@code fullSamples}.
     *
     * @param forgetSamples |D_f|
     * @param fullSamples   |D| (or |D_r| + |D_f|)
     * @return the percentile level p in (0, 100]
     * @throws IllegalArgumentException unless {@code 0 < forgetSamples <= fullSamples}
     */
    public static double percentileLevel(long forgetSamples, long fullSamples) {
        if (forgetSamples < 1 || fullSamples < forgetSamples) {
            throw new IllegalArgumentException("adaptive alpha: need 0 < |D_f| <= |D|, got |D_f| = " + forgetSamples
                    + ", |D| = " + fullSamples);
        }
        return 100.0 - Math.log(1.0 + 100.0 * forgetSamples / (double) fullSamples);
    }

    /**
     * The p-th percentile of the finite ratios Ω_f/Ω_D, each ratio formed in float as the reference does.
     *
     * @param forget          Ω_f by parameter
     * @param full            Ω_D by parameter
     * @param percentileLevel p, from {@link #percentileLevel}
     * @return α
     */
    public static double alpha(Map<String, Tensor> forget, Map<String, Tensor> full, double percentileLevel) {
        long n = 0;
        for (Tensor t : forget.values()) {
            n += t.numel();
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("adaptive alpha: " + n + " ratios exceed one Java array");
        }
        double[] ratios = new double[(int) n];
        int count = 0;
        for (Map.Entry<String, Tensor> e : forget.entrySet()) {
            Tensor f = e.getValue();
            Tensor d = full.get(e.getKey());
            float[] fd = f.data();
            float[] dd = d.data();
            int fo = f.offset();
            int dOff = d.offset();
            for (int i = 0; i < f.numel(); i++) {
                float r = fd[fo + i] / dd[dOff + i];
                if (Float.isFinite(r)) {
                    ratios[count++] = r;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("adaptive alpha: no finite ratio Ω_f/Ω_D (every Ω_D is 0)");
        }
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
        return percentile.evaluate(ratios, 0, count, percentileLevel);
    }
}
