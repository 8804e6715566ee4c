package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class DropoutOps {
    private DropoutOps() {}

    public static Var dropout(Var x, float p, boolean training, RandomGenerator rng) {
        throw new UnsupportedOperationException("DropoutOps not implemented yet");
    }
}
