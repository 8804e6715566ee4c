package org.lfssd.unlearn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Tensor;

/**
 * How a parameter's importance is measured. Both methods select and dampen identically; they differ in
 * the loss L_b whose gradient is taken on each batch b, and in the element-wise h that turns the gradient
 * into a non-negative importance term (ALGORITHM.md §2):
 *
 * <pre>
 *   LFSSD:  L_b = (1/|b|) · Σ_{x ∈ b} ‖f(x)‖²₂          h(g) = |g|
 *   SSD:    L_b = (1/|b|) · Σ_{(x,y) ∈ b} CE(f(x), y)    h(g) = g²
 * </pre>
 *
 * where f(x) are the logits. The pass that sums these terms over batches is described in the package
 * documentation and in {@link Unlearner#importance}.
 */
public enum Method {
    /**
     * Loss-free SSD: the loss is the batch mean of the squared L2 norm of the logits,
     * {@code L_b = (1/|b|) Σ ‖f(x)‖²₂}, and the importance term is the absolute value of its gradient,
     * {@code |∇θ L_b|} (the authors' README patch: {@code torch.norm(out, p="fro", dim=1).pow(2).mean()} and
     * {@code imp += p.grad.abs()}). Needs no labels.
     */
    LFSSD {
        @Override
        Var loss(Var logits, Batch batch, long batchIndex, int batchSize) {
            return F.meanSquaredNorm(logits, batchSize);
        }

        @Override
        void accumulate(Tensor gradient, Tensor importance, int start, int end) {
            Kernels.provider().accumulateMap(UnaryOp.ABS, gradient.data(), gradient.offset() + start, importance.data(),
                    importance.offset() + start, end - start);
        }
    },

    /**
     * Selective synaptic dampening: the loss is the batch-mean cross-entropy against the true labels,
     * {@code L_b = (1/|b|) Σ CE(f(x), y)}, and the importance term is the square of its gradient,
     * {@code (∇θ L_b)²} (a diagonal Fisher estimate; {@code ssd.py}: {@code imp += p.grad.pow(2)}). Every
     * batch needs labels.
     */
    SSD {
        @Override
        Var loss(Var logits, Batch batch, long batchIndex, int batchSize) {
            if (!batch.hasLabels()) {
                throw new IllegalArgumentException("SSD needs labels (its loss is cross-entropy), but batch "
                        + batchIndex + " has none; use LFSSD for unlabelled data");
            }
            return F.crossEntropy(logits, batch.labels(), batchSize);
        }

        @Override
        void accumulate(Tensor gradient, Tensor importance, int start, int end) {
            Kernels.provider().accumulateMap(UnaryOp.SQUARE, gradient.data(), gradient.offset() + start, importance.data(),
                    importance.offset() + start, end - start);
        }
    };

    /**
     * L_b: the scalar loss whose gradient measures importance, for one batch's logits {@code [|b|, classes]};
     * or, when {@code batch} is a shard of batch {@code batchIndex} (of {@code batchSize} samples), the shard's
     * share of it, {@code (1/batchSize) Σ} over the shard's samples, so that the shards' losses add up to L_b.
     */
    abstract Var loss(Var logits, Batch batch, long batchIndex, int batchSize);

    /**
     * {@code importance += h(g)}: {@code |g|} or {@code g²}, element-wise, over the elements {@code [start, end)}
     * of both; shapes are already known to match. Each element's result depends on that element alone, so
     * any cut into ranges gives the same bits.
     */
    abstract void accumulate(Tensor gradient, Tensor importance, int start, int end);
}
