package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class LinearOps {
    private LinearOps() {}

    public static Var matmul(Var a, Var b) {
        throw new UnsupportedOperationException("LinearOps not implemented yet");
    }

    public static Var linear(Var x, Var w, Var b) {
        throw new UnsupportedOperationException("LinearOps not implemented yet");
    }
}
