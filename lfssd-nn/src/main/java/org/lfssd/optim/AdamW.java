package org.lfssd.optim;

import java.util.Collection;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * Adam with decoupled weight decay, PyTorch's {@code torch.optim.AdamW} semantics (no AMSGrad). Per
 * element, at step {@code t} (counted per parameter from 1):
 * <pre>
 *   p = p·(1 − lr·weightDecay)
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   p = p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
 * </pre>
 */
public final class AdamW extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final float eps;
    private final double weightDecay;
    private final Tensor[] firstMoments;
    private final Tensor[] secondMoments;
    private final long[] steps;

    /**
     * AdamW as {@code torch.optim.AdamW}, e.g. {@code new AdamW(params, AdamWOptions.learningRate(1e-3).weightDecay(0.05))}.
     *
     * @param params  the parameters to update
     * @param options learning rate, betas, eps, weight decay
     * @throws IllegalArgumentException on a negative or non-finite learning rate, betas outside [0, 1), or a
     *     negative eps or weight decay
     */
    public AdamW(Collection<Var> params, AdamWOptions options) {
        super(params, options.learningRate);
        if (!(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1)
                || !(options.eps >= 0) || !(options.weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW: invalid beta1=" + options.beta1 + " beta2=" + options.beta2
                    + " eps=" + options.eps + " weightDecay=" + options.weightDecay);
        }
        this.beta1 = options.beta1;
        this.beta2 = options.beta2;
        this.eps = (float) options.eps;
        this.weightDecay = options.weightDecay;
        int n = params().size();
        this.firstMoments = new Tensor[n];
        this.secondMoments = new Tensor[n];
        this.steps = new long[n];
    }

    /**
     * AdamW with decoupled weight decay, as {@code torch.optim.AdamW}.
     *
     * @param params      the parameters to update
     * @param lr          learning rate
     * @param beta1       decay of the first-moment estimate
     * @param beta2       decay of the second-moment estimate
     * @param eps         added to the root of the second moment
     * @param weightDecay decoupled weight decay
     * @deprecated five numbers in a row are easily swapped; use {@link #AdamW(Collection, AdamWOptions)}
     */
    @Deprecated
    public AdamW(Collection<Var> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, AdamWOptions.learningRate(lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay));
    }

    /**
     * PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
     *
     * @param params the parameters to update
     * @param lr     learning rate
     */
    public AdamW(Collection<Var> params, double lr) {
        this(params, AdamWOptions.learningRate(lr));
    }

    @Override
    public void step() {
        double lr = lr();
        for (int i = 0; i < steps.length; i++) {
            Var p = params().get(i);
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            if (firstMoments[i] == null) {
                firstMoments[i] = Tensor.zeros(p.shape());
                secondMoments[i] = Tensor.zeros(p.shape());
            }
            long t = ++steps[i];
            // Scalars in double, as PyTorch computes them in Python; element math in float32.
            float decay = (float) (1.0 - lr * weightDecay);
            float b1 = (float) beta1;
            float b2 = (float) beta2;
            float oneMinusB1 = (float) (1.0 - beta1);
            float oneMinusB2 = (float) (1.0 - beta2);
            float stepSize = (float) (lr / (1.0 - Math.pow(beta1, t)));
            float bias2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, t));
            float[] w = p.value().data();
            int wOff = p.value().offset();
            float[] g = grad.data();
            int gOff = grad.offset();
            float[] m = firstMoments[i].data();
            float[] v = secondMoments[i].data();
            forElements(p.value().numel(), (start, end) -> {
                for (int e = start; e < end; e++) {
                    float ge = g[gOff + e];
                    float we = w[wOff + e] * decay;
                    float me = b1 * m[e] + oneMinusB1 * ge;
                    float ve = b2 * v[e] + oneMinusB2 * ge * ge;
                    m[e] = me;
                    v[e] = ve;
                    float denom = (float) Math.sqrt(ve) / bias2Sqrt + eps;
                    w[wOff + e] = we - stepSize * (me / denom);
                }
            });
        }
    }
}
