package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    public static Var softmax(Var x, int dim) {
        throw new UnsupportedOperationException("SoftmaxOps not implemented yet");
    }

    public static Var logSoftmax(Var x, int dim) {
        throw new UnsupportedOperationException("SoftmaxOps not implemented yet");
    }
}
