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
     * SGD as {@code torch.optim.SGD}.
     *
     * @param params      the parameters to update
     * @param lr          learning rate
     * @param momentum    momentum factor (0 for none)
     * @param dampening   dampening of the momentum
     * @param weightDecay L2 penalty added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     */
    public SGD(Collection<Var> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (!(momentum >= 0) || !(weightDecay >= 0) || !(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("SGD: invalid momentum=" + momentum + " dampening=" + dampening
                    + " weightDecay=" + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening, got momentum="
                    + momentum + " dampening=" + dampening);
        }
        this.momentum = (float) momentum;
        this.dampening = (float) dampening;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        this.buffers = new Tensor[params().size()];
    }

    /**
     * SGD with momentum and weight decay, no dampening.
     *
     * @param params      the parameters to update
     * @param lr          learning rate
     * @param momentum    momentum factor
     * @param weightDecay L2 penalty added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     */
    public SGD(Collection<Var> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(params, lr, momentum, 0.0, weightDecay, nesterov);
    }

    /**
     * Plain SGD.
     *
     * @param params the parameters to update
     * @param lr     learning rate
     */
    public SGD(Collection<Var> params, double lr) {
        this(params, lr, 0.0, 0.0, 0.0, false);
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
