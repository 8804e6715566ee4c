package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/**
 * {@code y = x·Wᵀ + b} over the last dimension ({@code nn.Linear}); {@code x} may be {@code [B, in]} or
 * {@code [B, N, in]}. Parameters {@code weight [out, in]} and, optionally, {@code bias [out]}, initialised
 * as PyTorch does by default.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Var weight;
    private final Var bias;

    /**
     * A linear layer with PyTorch's default initialisation.
     *
     * @param inFeatures  input features
     * @param outFeatures output features
     * @param bias        whether to add a learned bias
     * @param rng         source of the initial weights
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: features must be positive, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Init.kaimingUniformDefault(rng, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Init.defaultBias(rng, inFeatures, outFeatures)) : null;
    }

    /**
     * A linear layer with a bias.
     *
     * @param inFeatures  input features
     * @param outFeatures output features
     * @param rng         source of the initial weights
     */
    public Linear(int inFeatures, int outFeatures, RandomGenerator rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    @Override
    public Var forward(Var x) {
        try {
            return F.linear(x, weight, bias);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }

    /** {@return the weight {@code [out, in]}} */
    public Var weight() {
        return weight;
    }

    /**
     * The bias, or null when built without one.
     *
     * @return the bias or null
     */
    public Var bias() {
        return bias;
    }

    /** {@return the input feature count} */
    public int inFeatures() {
        return inFeatures;
    }

    /** {@return the output feature count} */
    public int outFeatures() {
        return outFeatures;
    }
}
