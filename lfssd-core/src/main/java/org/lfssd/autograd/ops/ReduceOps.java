package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class ReduceOps {
    private ReduceOps() {}

    public static Var sum(Var x) {
        throw new UnsupportedOperationException("ReduceOps not implemented yet");
    }

    public static Var sum(Var x, int[] dims, boolean keepDim) {
        throw new UnsupportedOperationException("ReduceOps not implemented yet");
    }

    public static Var mean(Var x) {
        throw new UnsupportedOperationException("ReduceOps not implemented yet");
    }

    public static Var mean(Var x, int[] dims, boolean keepDim) {
        throw new UnsupportedOperationException("ReduceOps not implemented yet");
    }
}
