package org.lfssd.optim;

/**
 * The settings of {@link AdamW}, named as {@code torch.optim.AdamW}'s keyword arguments and starting from its
 * defaults (betas 0.9 and 0.999, eps 1e-8, weight decay 0.01), so that no two numbers can be swapped by
 * position: {@code new AdamW(params, AdamWOptions.learningRate(1e-3).weightDecay(0.05))}. Immutable; each
 * setter returns a copy, and {@link #toString()} shows the values. {@link AdamW}'s constructor validates them.
 */
public final class AdamWOptions {
    final double learningRate;
    final double beta1;
    final double beta2;
    final double eps;
    final double weightDecay;

    private AdamWOptions(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /**
     * PyTorch's defaults at {@code lr}.
     *
     * @param lr the learning rate
     * @return the options
     */
    public static AdamWOptions learningRate(double lr) {
        return new AdamWOptions(lr, 0.9, 0.999, 1e-8, 0.01);
    }

    /**
     * With other moment decays ({@code betas=(beta1, beta2)} in PyTorch).
     *
     * @param beta1 decay of the first-moment estimate, in [0, 1)
     * @param beta2 decay of the second-moment estimate, in [0, 1)
     * @return a copy with these decays
     */
    public AdamWOptions betas(double beta1, double beta2) {
        return new AdamWOptions(learningRate, beta1, beta2, eps, weightDecay);
    }

    /**
     * With another term added to the root of the second moment.
     *
     * @param eps the term
     * @return a copy with this eps
     */
    public AdamWOptions eps(double eps) {
        return new AdamWOptions(learningRate, beta1, beta2, eps, weightDecay);
    }

    /**
     * With another decoupled weight decay.
     *
     * @param weightDecay the decay factor
     * @return a copy with this weight decay
     */
    public AdamWOptions weightDecay(double weightDecay) {
        return new AdamWOptions(learningRate, beta1, beta2, eps, weightDecay);
    }






    @Override
    public String toString() {
        return "AdamWOptions(lr=" + learningRate + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps
                + ", weightDecay=" + weightDecay + ")";
    }
}
