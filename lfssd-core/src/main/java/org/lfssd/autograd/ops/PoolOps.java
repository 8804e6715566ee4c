package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class PoolOps {
    private PoolOps() {}

    public static Var globalAvgPool(Var x) {
        throw new UnsupportedOperationException("PoolOps not implemented yet");
    }
}
