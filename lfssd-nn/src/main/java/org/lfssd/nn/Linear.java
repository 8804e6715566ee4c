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

    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: features must be positive, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Init.kaimingUniformDefault(rng, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Init.defaultBias(rng, inFeatures, outFeatures)) : null;
    }

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

    public Var weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Var bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }
}
