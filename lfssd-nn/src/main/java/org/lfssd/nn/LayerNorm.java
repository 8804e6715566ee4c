package org.lfssd.nn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** Layer normalisation over the last dimension with affine {@code weight} (ones) and {@code bias} (zeros), {@code nn.LayerNorm}. */
public final class LayerNorm extends Module {
    private final int dim;
    private final float eps;
    private final Var weight;
    private final Var bias;

    /**
     * A LayerNorm over the last dimension, with {@code weight} 1 and {@code bias} 0.
     *
     * @param dim the size of the normalised (last) dimension
     * @param eps added to the variance for stability
     */
    public LayerNorm(int dim, float eps) {
        if (dim <= 0 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: invalid dim=" + dim + " eps=" + eps);
        }
        this.dim = dim;
        this.eps = eps;
        this.weight = registerParameter("weight", Tensor.ones(dim));
        this.bias = registerParameter("bias", Tensor.zeros(dim));
    }

    @Override
    public Var forward(Var x) {
        try {
            return F.layerNorm(x, weight, bias, eps);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }

    /** {@return the normalised dimension's size} */
    public int dim() {
        return dim;
    }

    /** {@return the variance epsilon} */
    public float eps() {
        return eps;
    }

    /** {@return the scale γ} */
    public Var weight() {
        return weight;
    }

    /** {@return the shift β} */
    public Var bias() {
        return bias;
    }
}
