package org.lfssd.autograd;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.ops.ActivationOps;
import org.lfssd.autograd.ops.AttentionOps;
import org.lfssd.autograd.ops.BatchNormOps;
import org.lfssd.autograd.ops.ConvOps;
import org.lfssd.autograd.ops.DropoutOps;
import org.lfssd.autograd.ops.ElementwiseOps;
import org.lfssd.autograd.ops.LayerNormOps;
import org.lfssd.autograd.ops.LayoutOps;
import org.lfssd.autograd.ops.LinearOps;
import org.lfssd.autograd.ops.LossOps;
import org.lfssd.autograd.ops.MaxPoolOps;
import org.lfssd.autograd.ops.MlpOps;
import org.lfssd.autograd.ops.PoolOps;
import org.lfssd.autograd.ops.ReduceOps;
import org.lfssd.autograd.ops.ShapeOps;
import org.lfssd.autograd.ops.SoftmaxOps;
import org.lfssd.tensor.Tensor;

/**
 * Every differentiable op, in one place (the counterpart of {@code torch} / {@code torch.nn.functional}).
 * Each op computes its value at once and records its hand-written backward (see {@link Var}).
 * Dimensions may be negative (counted from the end). Shape errors are {@link IllegalArgumentException}s
 * naming the op and the shapes.
 */
public final class F {
    private F() {}

    // ------------------------------------------------------------------ elementwise, with broadcasting

    /**
     * {@code a + b}, elementwise with broadcasting.
     *
     * @param a left operand
     * @param b right operand
     * @return the sum
     */
    public static Var add(Var a, Var b) { return ElementwiseOps.add(a, b); }

    /**
     * {@code a - b}, elementwise with broadcasting.
     *
     * @param a left operand
     * @param b right operand
     * @return the difference
     */
    public static Var sub(Var a, Var b) { return ElementwiseOps.sub(a, b); }

    /**
     * {@code a * b}, elementwise with broadcasting.
     *
     * @param a left operand
     * @param b right operand
     * @return the product
     */
    public static Var mul(Var a, Var b) { return ElementwiseOps.mul(a, b); }

    /**
     * {@code a / b}, elementwise with broadcasting.
     *
     * @param a numerator
     * @param b denominator
     * @return the quotient
     */
    public static Var div(Var a, Var b) { return ElementwiseOps.div(a, b); }

    /**
     * {@code a + s} for every element.
     *
     * @param a the input
     * @param s the scalar
     * @return the sum
     */
    public static Var add(Var a, float s) { return ElementwiseOps.addScalar(a, s); }

    /**
     * {@code a * s} for every element.
     *
     * @param a the input
     * @param s the scalar
     * @return the product
     */
    public static Var mul(Var a, float s) { return ElementwiseOps.mulScalar(a, s); }

    /**
     * {@code -a}.
     *
     * @param a the input
     * @return the negation
     */
    public static Var neg(Var a) { return ElementwiseOps.neg(a); }

    /**
     * {@code exp(a)}.
     *
     * @param a the input
     * @return the exponential
     */
    public static Var exp(Var a) { return ElementwiseOps.exp(a); }

    /**
     * {@code ln(a)}.
     *
     * @param a the input, positive
     * @return the natural logarithm
     */
    public static Var log(Var a) { return ElementwiseOps.log(a); }

    /**
     * {@code √a}.
     *
     * @param a the input, non-negative
     * @return the square root
     */
    public static Var sqrt(Var a) { return ElementwiseOps.sqrt(a); }

    /**
     * {@code |a|}; the gradient at 0 is 0, as in PyTorch.
     *
     * @param a the input
     * @return the absolute value
     */
    public static Var abs(Var a) { return ElementwiseOps.abs(a); }

    /**
     * {@code a^exponent}.
     *
     * @param a        the input
     * @param exponent the constant exponent
     * @return the power
     */
    public static Var pow(Var a, float exponent) { return ElementwiseOps.pow(a, exponent); }

    // ------------------------------------------------------------------ activations

    /**
     * {@code max(x, 0)}.
     *
     * @param x the input
     * @return the rectified input
     */
    public static Var relu(Var x) { return ActivationOps.relu(x); }

    /**
     * GELU in the exact erf form (PyTorch's default, {@code approximate='none'}).
     *
     * @param x the input
     * @return GELU(x)
     */
    public static Var gelu(Var x) { return ActivationOps.gelu(x); }

    // ------------------------------------------------------------------ linear algebra

    /**
     * 2-D {@code [m,k]·[k,n]}, or batched {@code [...,m,k]·[...,k,n]} with equal leading dimensions.
     *
     * @param a left matrix or batch of matrices
     * @param b right matrix or batch of matrices
     * @return the product
     */
    public static Var matmul(Var a, Var b) { return LinearOps.matmul(a, b); }

    /**
     * {@code x·Wᵀ + b} over the last dimension of {@code x}; {@code w} is {@code [out, in]}; {@code b} may be null.
     *
     * @param x the input {@code [..., in]}
     * @param w the weight {@code [out, in]}
     * @param b the bias {@code [out]}, or null
     * @return {@code [..., out]}
     */
    public static Var linear(Var x, Var w, Var b) { return LinearOps.linear(x, w, b); }

    /**
     * {@code gelu(x·Wᵀ + b)} (exact erf GELU) as one op, the bias and GELU applied in the product's epilogue;
     * the same values as {@code gelu(linear(x, w, b))} with less memory traffic.
     *
     * @param x the input {@code [..., in]}
     * @param w the weight {@code [out, in]}
     * @param b the bias {@code [out]}, or null
     * @return {@code [..., out]}
     */
    public static Var linearGelu(Var x, Var w, Var b) { return LinearOps.linearGelu(x, w, b); }

    /**
     * The transformer MLP {@code gelu(x·W1ᵀ + b1)·W2ᵀ + b2} (exact erf GELU) as one op that keeps only
     * fc1's pre-activation for backward, not the GELU output; the same values as
     * {@code linear(linearGelu(x, w1, b1), w2, b2)}.
     *
     * @param x  the input {@code [..., in]}
     * @param w1 fc1's weight {@code [hidden, in]}
     * @param b1 fc1's bias {@code [hidden]}, or null
     * @param w2 fc2's weight {@code [out, hidden]}
     * @param b2 fc2's bias {@code [out]}, or null
     * @return {@code [..., out]}
     */
    public static Var mlp(Var x, Var w1, Var b1, Var w2, Var b2) { return MlpOps.mlp(x, w1, b1, w2, b2); }

    // ------------------------------------------------------------------ channels-last activations

    /**
     * NCHW to channels-last, for a chain of channels-last ops ({@link #conv2dChannelsLast},
     * {@link #batchNormEvalChannelsLast}) that then needs no transpose per layer.
     *
     * @param x the input {@code [N, C, H, W]}
     * @return the same values as {@code [N, H, W, C]}
     */
    public static Var toChannelsLast(Var x) {
        return LayoutOps.toChannelsLast(x);
    }

    /**
     * Channels-last to NCHW, the inverse of {@link #toChannelsLast}.
     *
     * @param x the input {@code [N, H, W, C]}
     * @return the same values as {@code [N, C, H, W]}
     */
    public static Var toNchw(Var x) {
        return LayoutOps.toNchw(x);
    }

    /**
     * {@link #conv2d} on channels-last activations: the same values, {@code [N, H, W, in]} to
     * {@code [N, H', W', out]}; the weight stays {@code [out, in, kh, kw]}.
     *
     * @param x       the input {@code [N, H, W, in]}
     * @param w       the weight {@code [out, in, kh, kw]}
     * @param bias    the bias {@code [out]}, or null
     * @param stride  the stride on both axes
     * @param padding the zero padding on each side of both axes
     * @return {@code [N, H', W', out]}
     */
    public static Var conv2dChannelsLast(Var x, Var w, Var bias, int stride, int padding) {
        return ConvOps.conv2dChannelsLast(x, w, bias, stride, padding);
    }

    /**
     * Eval-mode BatchNorm on channels-last activations, plus {@code residual} if not null, then ReLU if
     * {@code relu}; see {@link BatchNormOps#batchNormEvalChannelsLast}.
     *
     * @param x           the input {@code [N, H, W, C]}
     * @param gamma       the scale {@code [C]}, or null
     * @param beta        the shift {@code [C]}, or null
     * @param runningMean the running mean {@code [C]}
     * @param runningVar  the running variance {@code [C]}
     * @param eps         added to the variance
     * @param residual    added after the normalisation (same shape as {@code x}), or null
     * @param relu        whether to apply the ReLU
     * @return {@code [max](batchNorm(x) + residual, 0)}, channels last
     */
    public static Var batchNormEvalChannelsLast(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar, float eps,
                                                Var residual, boolean relu) {
        return BatchNormOps.batchNormEvalChannelsLast(x, gamma, beta, runningMean, runningVar, eps, residual, relu);
    }

    // ------------------------------------------------------------------ convolution and pooling (NCHW)

    /**
     * 2-D convolution, groups = 1; {@code w} is {@code [out, in, kh, kw]}; {@code bias} may be null.
     *
     * @param x       the input {@code [N, in, H, W]}
     * @param w       the weight
     * @param bias    the bias {@code [out]}, or null
     * @param stride  the stride on both axes
     * @param padding the zero padding on each side of both axes
     * @return {@code [N, out, H', W']}
     */
    public static Var conv2d(Var x, Var w, Var bias, int stride, int padding) {
        return ConvOps.conv2d(x, w, bias, stride, padding);
    }

    /**
     * {@code MaxPool2d(kernel, stride, padding)} over {@code [N,C,H,W]}; padding counts as -∞.
     *
     * @param x       the input
     * @param kernel  the window side
     * @param stride  the step between windows
     * @param padding the implicit border, at most {@code kernel / 2}
     * @return the pooled tensor
     */
    public static Var maxPool2d(Var x, int kernel, int stride, int padding) {
        return MaxPoolOps.maxPool2d(x, kernel, stride, padding);
    }

    /**
     * {@code AdaptiveAvgPool2d(1)}: {@code [N,C,H,W] -> [N,C,1,1]}.
     *
     * @param x the input
     * @return the plane means
     */
    public static Var globalAvgPool(Var x) { return PoolOps.globalAvgPool(x); }

    /**
     * Flattens dimensions {@code startDim..} into one.
     *
     * @param x        the input
     * @param startDim the first dimension to flatten
     * @return the flattened view
     */
    public static Var flatten(Var x, int startDim) { return ShapeOps.flatten(x, startDim); }

    // ------------------------------------------------------------------ normalisation

    /**
     * BatchNorm over N,H,W per channel. Training mode normalises with batch statistics and updates the
     * running ones in place with {@code momentum} (running variance from the unbiased batch variance, as
     * PyTorch); eval mode normalises with the running statistics.
     *
     * @param x           the input {@code [N, C, H, W]}
     * @param gamma       the scale {@code [C]}
     * @param beta        the shift {@code [C]}
     * @param runningMean the running mean {@code [C]}, updated in training mode
     * @param runningVar  the running variance {@code [C]}, updated in training mode
     * @param training    whether to use (and update) batch statistics
     * @param momentum    the weight of the batch statistics in the update
     * @param eps         added to the variance
     * @return the normalised tensor
     */
    public static Var batchNorm2d(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar,
                                  boolean training, float momentum, float eps) {
        return BatchNormOps.batchNorm2d(x, gamma, beta, runningMean, runningVar, training, momentum, eps);
    }

    /**
     * Eval-mode BatchNorm, plus {@code residual} if not null, then ReLU, fused: the same values as
     * {@code relu(add(batchNorm2d(x, ..., false, 0, eps), residual))}, in one pass each way.
     *
     * @param x           the input {@code [N, C, H, W]}
     * @param gamma       the scale {@code [C]}
     * @param beta        the shift {@code [C]}
     * @param runningMean the running mean {@code [C]}
     * @param runningVar  the running variance {@code [C]}
     * @param eps         added to the variance
     * @param residual    added before the ReLU (same shape as {@code x}), or null
     * @return {@code max(batchNorm(x) + residual, 0)}
     */
    public static Var batchNormAddReluEval(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar, float eps,
                                           Var residual) {
        return BatchNormOps.batchNormAddReluEval(x, gamma, beta, runningMean, runningVar, eps, residual);
    }

    /**
     * LayerNorm over the last dimension; {@code gamma}, {@code beta} may be null.
     *
     * @param x     the input
     * @param gamma the scale over the last dimension, or null
     * @param beta  the shift over the last dimension, or null
     * @param eps   added to the variance
     * @return the normalised tensor
     */
    public static Var layerNorm(Var x, Var gamma, Var beta, float eps) {
        return LayerNormOps.layerNorm(x, gamma, beta, eps);
    }

    // ------------------------------------------------------------------ softmax and losses

    /**
     * Softmax along {@code dim} (numerically stable).
     *
     * @param x   the input
     * @param dim the dimension
     * @return probabilities summing to 1 along {@code dim}
     */
    public static Var softmax(Var x, int dim) { return SoftmaxOps.softmax(x, dim); }

    /**
     * Log-softmax along {@code dim} (numerically stable).
     *
     * @param x   the input
     * @param dim the dimension
     * @return the log-probabilities
     */
    public static Var logSoftmax(Var x, int dim) { return SoftmaxOps.logSoftmax(x, dim); }

    /**
     * Cross-entropy of {@code [B, C]} logits against integer labels, mean over the batch (numerically stable).
     *
     * @param logits {@code [B, C]}
     * @param labels B class indices
     * @return a scalar
     */
    public static Var crossEntropy(Var logits, int[] labels) { return LossOps.crossEntropy(logits, labels); }

    /**
     * One shard's share of a batch-mean cross-entropy: {@code (1/batchSize) Σ_i CE(logits_i, labels_i)} over
     * these rows; the shares of a batch's shards add up to its mean.
     *
     * @param logits    {@code [B, C]}, a shard of a batch of {@code batchSize} rows
     * @param labels    B class indices
     * @param batchSize the whole batch's size
     * @return a scalar
     */
    public static Var crossEntropy(Var logits, int[] labels, int batchSize) {
        return LossOps.crossEntropy(logits, labels, batchSize);
    }

    /**
     * Per-row squared L2 norm: {@code [B, ...] -> [B]}, {@code ||x_i||²₂}.
     *
     * @param x the input
     * @return {@code [B]}
     */
    public static Var squaredNorm(Var x) { return LossOps.squaredNorm(x); }

    /**
     * The LFSSD loss: the batch mean of {@code ||f(x_i)||²₂}, a scalar.
     *
     * @param x the logits {@code [B, C]}
     * @return a scalar
     */
    public static Var meanSquaredNorm(Var x) { return LossOps.meanSquaredNorm(x); }

    /**
     * One shard's share of the LFSSD loss: {@code (1/batchSize) Σ_i ||f(x_i)||²₂} over these rows; the shares
     * of a batch's shards add up to its mean.
     *
     * @param x         the logits {@code [B, C]}, a shard of a batch of {@code batchSize} rows
     * @param batchSize the whole batch's size
     * @return a scalar
     */
    public static Var meanSquaredNorm(Var x, int batchSize) { return LossOps.meanSquaredNorm(x, batchSize); }

    // ------------------------------------------------------------------ reductions

    /**
     * Sum of all elements, a scalar of shape {@code []}.
     *
     * @param x the input
     * @return the sum
     */
    public static Var sum(Var x) { return ReduceOps.sum(x); }

    /**
     * Sum over {@code dims}.
     *
     * @param x       the input
     * @param dims    the dimensions to reduce
     * @param keepDim whether reduced dimensions stay with size 1
     * @return the sums
     */
    public static Var sum(Var x, int[] dims, boolean keepDim) { return ReduceOps.sum(x, dims, keepDim); }

    /**
     * Mean of all elements, a scalar of shape {@code []}.
     *
     * @param x the input
     * @return the mean
     */
    public static Var mean(Var x) { return ReduceOps.mean(x); }

    /**
     * Mean over {@code dims}.
     *
     * @param x       the input
     * @param dims    the dimensions to reduce
     * @param keepDim whether reduced dimensions stay with size 1
     * @return the means
     */
    public static Var mean(Var x, int[] dims, boolean keepDim) { return ReduceOps.mean(x, dims, keepDim); }

    // ------------------------------------------------------------------ shape

    /**
     * The same elements in another shape (one dimension may be -1, inferred).
     *
     * @param x     the input
     * @param shape the new shape
     * @return the reshaped tensor
     */
    public static Var reshape(Var x, int... shape) { return ShapeOps.reshape(x, shape); }

    /**
     * Swaps dimensions {@code d0} and {@code d1}.
     *
     * @param x  the input
     * @param d0 one dimension
     * @param d1 the other
     * @return the transposed tensor
     */
    public static Var transpose(Var x, int d0, int d1) { return ShapeOps.transpose(x, d0, d1); }

    /**
     * Reorders the dimensions: output dimension i is input dimension {@code dims[i]}.
     *
     * @param x    the input
     * @param dims a permutation of the dimensions
     * @return the permuted tensor
     */
    public static Var permute(Var x, int... dims) { return ShapeOps.permute(x, dims); }

    /**
     * Joins tensors along {@code dim}; the other dimensions must agree.
     *
     * @param dim the dimension
     * @param xs  the tensors
     * @return the concatenation
     */
    public static Var concat(int dim, Var... xs) { return ShapeOps.concat(dim, xs); }

    /**
     * Elements {@code [start, end)} along {@code dim}.
     *
     * @param x     the input
     * @param dim   the dimension
     * @param start first index, inclusive
     * @param end   last index, exclusive
     * @return the slice
     */
    public static Var slice(Var x, int dim, int start, int end) { return ShapeOps.slice(x, dim, start, end); }

    /**
     * Index {@code index} along {@code dim}, which is removed (ViT's {@code x[:, 0]}).
     *
     * @param x     the input
     * @param dim   the dimension
     * @param index the index
     * @return the selected sub-tensor
     */
    public static Var select(Var x, int dim, int index) { return ShapeOps.select(x, dim, index); }

    /**
     * Broadcasts size-1 (or missing leading) dimensions to {@code shape}.
     *
     * @param x     the input
     * @param shape the target shape
     * @return the broadcast tensor
     */
    public static Var expand(Var x, int... shape) { return ShapeOps.expand(x, shape); }

    // ------------------------------------------------------------------ attention and dropout

    /**
     * Scaled dot-product attention, {@code softmax(q·kᵀ/√d)·v}, on {@code [B, H, N, d]} tensors. Saves only
     * the attention probabilities for backward.
     *
     * @param q queries
     * @param k keys
     * @param v values
     * @return {@code [B, H, N, d]}
     */
    public static Var scaledDotProductAttention(Var q, Var k, Var v) { return AttentionOps.scaledDotProductAttention(q, k, v); }

    /**
     * Multi-head self-attention on the packed output of a {@code qkv} Linear, {@code [B, N, 3·heads·d]} in timm's
     * {@code [B, N, 3, H, d]} order, giving {@code [B, N, heads·d]} with the heads merged (no permuted copies).
     *
     * @param qkv   the packed queries, keys and values
     * @param heads the number of heads
     * @return the attended values, heads merged
     */
    public static Var multiHeadSelfAttention(Var qkv, int heads) { return AttentionOps.multiHeadSelfAttention(qkv, heads); }

    /**
     * Inverted dropout with probability {@code p} drawn from {@code rng}; the identity when not training.
     *
     * @param x        the input
     * @param p        the drop probability
     * @param training whether dropout is active
     * @param rng      the source of the masks
     * @return the input with dropped elements zeroed and the rest scaled by {@code 1/(1-p)}
     */
    public static Var dropout(Var x, float p, boolean training, RandomGenerator rng) {
        return DropoutOps.dropout(x, p, training, rng);
    }
}
