package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class LossOps {
    private LossOps() {}

    public static Var crossEntropy(Var logits, int[] labels) {
        throw new UnsupportedOperationException("LossOps not implemented yet");
    }

    public static Var squaredNorm(Var x) {
        throw new UnsupportedOperationException("LossOps not implemented yet");
    }

    public static Var meanSquaredNorm(Var x) {
        throw new UnsupportedOperationException("LossOps not implemented yet");
    }
}
