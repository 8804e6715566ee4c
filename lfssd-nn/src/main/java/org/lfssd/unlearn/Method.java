package org.lfssd.unlearn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.kernels.Kernels;
import org.lfssd.tensor.Tensor;

/**
 * How a parameter's importance is measured. Both methods select and dampen identically; they differ in
 * the loss whose gradient is taken and in how that gradient is turned into a non-negative importance.
 */
public enum Method {
    /**
     * Loss-free SSD: the loss is the batch mean of the squared L2 norm of the logits, and the importance is
     * the absolute value of its gradient. Needs no labels.
     */
    LFSSD {
        @Override
        Var loss(Var logits, Batch batch, long batchIndex) {
            return F.meanSquaredNorm(logits);
        }

        @Override
        void accumulate(Tensor gradient, Tensor importance) {
            Kernels.ops().accumulateAbs(gradient.data(), gradient.offset(), importance.data(), importance.offset(),
                    importance.numel());
        }
    },

    /**
     * Selective synaptic dampening: the loss is the batch-mean cross-entropy against the true labels, and
     * the importance is the square of its gradient (a diagonal Fisher estimate). Every batch needs labels.
     */
    SSD {
        @Override
        Var loss(Var logits, Batch batch, long batchIndex) {
            if (!batch.hasLabels()) {
                throw new IllegalArgumentException("SSD needs labels (its loss is cross-entropy), but batch "
                        + batchIndex + " has none; use LFSSD for unlabelled data");
            }
            return F.crossEntropy(logits, batch.labels());
        }

        @Override
        void accumulate(Tensor gradient, Tensor importance) {
            Kernels.ops().accumulateSquare(gradient.data(), gradient.offset(), importance.data(), importance.offset(),
                    importance.numel());
        }
    };

    /** The scalar loss whose gradient measures importance, for one batch's logits. */
    abstract Var loss(Var logits, Batch batch, long batchIndex);

    /** {@code importance += |g|} or {@code g²}, element-wise; shapes are already known to match. */
    abstract void accumulate(Tensor gradient, Tensor importance);
}
