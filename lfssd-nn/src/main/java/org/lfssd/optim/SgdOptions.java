package org.lfssd.optim;

/**
 * The settings of {@link SGD}, named as {@code torch.optim.SGD}'s keyword arguments, so that no two numbers
 * can be swapped by position:
 * {@code new SGD(params, SgdOptions.learningRate(0.1).momentum(0.9).weightDecay(5e-4).nesterov(true))}.
 * Immutable; each setter returns a copy, and {@link #toString()} shows the values. {@link SGD}'s constructor
 * validates them.
 */
public final class SgdOptions {
    final double learningRate;
    final double momentum;
    final double dampening;
    final double weightDecay;
    final boolean nesterov;

    private SgdOptions(double learningRate, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /**
     * Plain SGD at {@code lr}: no momentum, no dampening, no weight decay, no Nesterov (PyTorch's defaults).
     *
     * @param lr the learning rate
     * @return the options
     */
    public static SgdOptions learningRate(double lr) {
        return new SgdOptions(lr, 0, 0, 0, false);
    }

    /**
     * With momentum.
     *
     * @param momentum the momentum factor (0 for none)
     * @return a copy with this momentum
     */
    public SgdOptions momentum(double momentum) {
        return new SgdOptions(learningRate, momentum, dampening, weightDecay, nesterov);
    }

    /**
     * With dampening of the momentum.
     *
     * @param dampening in [0, 1]
     * @return a copy with this dampening
     */
    public SgdOptions dampening(double dampening) {
        return new SgdOptions(learningRate, momentum, dampening, weightDecay, nesterov);
    }

    /**
     * With an L2 penalty added to the gradient.
     *
     * @param weightDecay the penalty factor
     * @return a copy with this weight decay
     */
    public SgdOptions weightDecay(double weightDecay) {
        return new SgdOptions(learningRate, momentum, dampening, weightDecay, nesterov);
    }

    /**
     * With or without Nesterov momentum (needs momentum &gt; 0 and no dampening).
     *
     * @param nesterov whether to use Nesterov momentum
     * @return a copy with this choice
     */
    public SgdOptions nesterov(boolean nesterov) {
        return new SgdOptions(learningRate, momentum, dampening, weightDecay, nesterov);
    }






    @Override
    public String toString() {
        return "SgdOptions(lr=" + learningRate + ", momentum=" + momentum + ", dampening=" + dampening
                + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov + ")";
    }
}
