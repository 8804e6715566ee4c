package org.lfssd.optim;

import java.util.Collection;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} semantics, per element:
 * <pre>
 *   d = g + weightDecay·p
 *   buf = d                                   (first step)
 *   buf = momentum·buf + (1 − dampening)·d    (later steps)
 *   d = nesterov ? d + momentum·buf : buf     (when momentum ≠ 0)
 *   p = p − lr·d
 * </pre>
 */
public final class SGD extends Optimizer {
    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;
    /** Momentum buffers by parameter position; null until the parameter's first step. */
    private final Tensor[] buffers;

    /**
     * SGD as {@code torch.optim.SGD}, e.g.
     * {@code new SGD(params, SgdOptions.learningRate(0.1).momentum(0.9).weightDecay(5e-4))}.
     *
     * @param params  the parameters to update
     * @param options learning rate, momentum, dampening, weight decay, Nesterov
     * @throws IllegalArgumentException on a negative or non-finite learning rate, negative momentum or weight
     *     decay, dampening outside [0, 1], or Nesterov without momentum or with dampening
     */
    public SGD(Collection<Var> params, SgdOptions options) {
        super(params, options.learningRate);
        if (!(options.momentum >= 0) || !(options.weightDecay >= 0)
                || !(options.dampening >= 0 && options.dampening <= 1)) {
            throw new IllegalArgumentException("SGD: invalid momentum=" + options.momentum
                    + " dampening=" + options.dampening + " weightDecay=" + options.weightDecay);
        }
        if (options.nesterov && (options.momentum <= 0 || options.dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening, got momentum="
                    + options.momentum + " dampening=" + options.dampening);
        }
        this.momentum = (float) options.momentum;
        this.dampening = (float) options.dampening;
        this.weightDecay = (float) options.weightDecay;
        this.nesterov = options.nesterov;
        this.buffers = new Tensor[params().size()];
    }

    /**
     * SGD as {@code torch.optim.SGD}.
     *
     * @param params      the parameters to update
     * @param lr          learning rate
     * @param momentum    momentum factor (0 for none)
     * @param dampening   dampening of the momentum
     * @param weightDecay L2 penalty added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     * @deprecated four numbers in a row are easily swapped; use {@link #SGD(Collection, SgdOptions)}
     */
    @Deprecated
    public SGD(Collection<Var> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(params, SgdOptions.learningRate(lr).momentum(momentum).dampening(dampening).weightDecay(weightDecay)
                .nesterov(nesterov));
    }

    /**
     * SGD with momentum and weight decay, no dampening.
     *
     * @param params      the parameters to update
     * @param lr          learning rate
     * @param momentum    momentum factor
     * @param weightDecay L2 penalty added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     * @deprecated three numbers in a row are easily swapped; use {@link #SGD(Collection, SgdOptions)}
     */
    @Deprecated
    public SGD(Collection<Var> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(params, SgdOptions.learningRate(lr).momentum(momentum).weightDecay(weightDecay).nesterov(nesterov));
    }

    /**
     * Plain SGD.
     *
     * @param params the parameters to update
     * @param lr     learning rate
     */
    public SGD(Collection<Var> params, double lr) {
        this(params, SgdOptions.learningRate(lr));
    }

    @Override
    public void step() {
        float lr = (float) lr();
        for (int i = 0; i < buffers.length; i++) {
            Var p = params().get(i);
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            boolean first = buffers[i] == null;
            if (momentum != 0f && first) {
                buffers[i] = Tensor.zeros(p.shape());
            }
            float[] w = p.value().data();
            int wOff = p.value().offset();
            float[] g = grad.data();
            int gOff = grad.offset();
            Tensor buffer = buffers[i];
            forElements(p.value().numel(), (start, end) -> {
                for (int e = start; e < end; e++) {
                    float d = g[gOff + e];
                    if (weightDecay != 0f) {
                        d += weightDecay * w[wOff + e];
                    }
                    if (momentum != 0f) {
                        float[] b = buffer.data();
                        float m = first ? d : momentum * b[e] + (1f - dampening) * d;
                        b[e] = m;
                        d = nesterov ? d + momentum * m : m;
                    }
                    w[wOff + e] -= lr * d;
                }
            });
        }
    }
}
