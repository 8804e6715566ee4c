package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class ShapeOps {
    private ShapeOps() {}

    public static Var flatten(Var x, int startDim) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var reshape(Var x, int... shape) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var transpose(Var x, int d0, int d1) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var permute(Var x, int... dims) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var concat(int dim, Var... xs) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var slice(Var x, int dim, int start, int end) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var select(Var x, int dim, int index) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }

    public static Var expand(Var x, int... shape) {
        throw new UnsupportedOperationException("ShapeOps not implemented yet");
    }
}
