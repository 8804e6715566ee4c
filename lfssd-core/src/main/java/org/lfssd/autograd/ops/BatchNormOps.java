package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** PLACEHOLDER: to be implemented. */
public final class BatchNormOps {
    private BatchNormOps() {}

    public static Var batchNorm2d(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar, boolean training, float momentum, float eps) {
        throw new UnsupportedOperationException("BatchNormOps not implemented yet");
    }
}
