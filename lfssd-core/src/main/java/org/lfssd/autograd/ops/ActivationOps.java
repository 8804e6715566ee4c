package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class ActivationOps {
    private ActivationOps() {}

    public static Var relu(Var x) {
        throw new UnsupportedOperationException("ActivationOps not implemented yet");
    }

    public static Var gelu(Var x) {
        throw new UnsupportedOperationException("ActivationOps not implemented yet");
    }
}
