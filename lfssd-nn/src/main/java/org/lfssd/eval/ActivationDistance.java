package org.lfssd.eval;

/**
 * The activation distance of the official code ({@code actv_dist}): the L2 distance between two models'
 * softmax outputs, averaged over samples. Computed on the forget data against the retrained model it says
 * how far an unlearned model is from the gold standard; 0 means identical predictions.
 */
public final class ActivationDistance {
    private ActivationDistance() {}

    /**
     * The mean over samples of {@code ‖softmax(a_i) − softmax(b_i)‖₂}.
     *
     * @param a one model's logits
     * @param b another model's logits on the same samples
     * @return the mean L2 distance between the two softmax distributions, in [0, √2]
     * @throws IllegalArgumentException if the shapes differ or there are no samples
     */
    public static double between(Logits a, Logits b) {
        if (a.n() != b.n() || a.classes() != b.classes() || a.n() == 0) {
            throw new IllegalArgumentException("ActivationDistance: logits [" + a.n() + ", " + a.classes() + "] vs ["
                    + b.n() + ", " + b.classes() + "]");
        }
        double total = 0;
        for (int i = 0; i < a.n(); i++) {
            double[] p = a.softmax(i);
            double[] q = b.softmax(i);
            double s = 0;
            for (int c = 0; c < p.length; c++) {
                double diff = p[c] - q[c];
                s += diff * diff;
            }
            total += Math.sqrt(s);
        }
        return total / a.n();
    }
}
