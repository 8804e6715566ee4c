package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    public static Var add(Var a, Var b) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var sub(Var a, Var b) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var mul(Var a, Var b) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var div(Var a, Var b) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var addScalar(Var a, float s) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var mulScalar(Var a, float s) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var neg(Var a) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var exp(Var a) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var log(Var a) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var sqrt(Var a) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var abs(Var a) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }

    public static Var pow(Var a, float p) {
        throw new UnsupportedOperationException("ElementwiseOps not implemented yet");
    }
}
