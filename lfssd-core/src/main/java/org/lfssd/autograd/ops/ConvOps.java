package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class ConvOps {
    private ConvOps() {}

    public static Var conv2d(Var x, Var w, Var bias, int stride, int padding) {
        throw new UnsupportedOperationException("ConvOps not implemented yet");
    }
}
