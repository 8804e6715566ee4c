package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class AttentionOps {
    private AttentionOps() {}

    public static Var scaledDotProductAttention(Var q, Var k, Var v) {
        throw new UnsupportedOperationException("AttentionOps not implemented yet");
    }
}
