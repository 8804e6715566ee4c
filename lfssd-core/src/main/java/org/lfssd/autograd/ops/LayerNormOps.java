package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class LayerNormOps {
    private LayerNormOps() {}

    public static Var layerNorm(Var x, Var gamma, Var beta, float eps) {
        throw new UnsupportedOperationException("LayerNormOps not implemented yet");
    }
}
