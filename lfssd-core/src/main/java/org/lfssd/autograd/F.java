package org.lfssd.autograd;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.ops.ActivationOps;
import org.lfssd.autograd.ops.AttentionOps;
import org.lfssd.autograd.ops.BatchNormOps;
import org.lfssd.autograd.ops.ConvOps;
import org.lfssd.autograd.ops.DropoutOps;
import org.lfssd.autograd.ops.ElementwiseOps;
import org.lfssd.autograd.ops.LayerNormOps;
import org.lfssd.autograd.ops.LinearOps;
import org.lfssd.autograd.ops.LossOps;
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

    public static Var add(Var a, Var b) { return ElementwiseOps.add(a, b); }

    public static Var sub(Var a, Var b) { return ElementwiseOps.sub(a, b); }

    public static Var mul(Var a, Var b) { return ElementwiseOps.mul(a, b); }

    public static Var div(Var a, Var b) { return ElementwiseOps.div(a, b); }

    public static Var add(Var a, float s) { return ElementwiseOps.addScalar(a, s); }

    public static Var mul(Var a, float s) { return ElementwiseOps.mulScalar(a, s); }

    public static Var neg(Var a) { return ElementwiseOps.neg(a); }

    public static Var exp(Var a) { return ElementwiseOps.exp(a); }

    public static Var log(Var a) { return ElementwiseOps.log(a); }

    public static Var sqrt(Var a) { return ElementwiseOps.sqrt(a); }

    public static Var abs(Var a) { return ElementwiseOps.abs(a); }

    public static Var pow(Var a, float exponent) { return ElementwiseOps.pow(a, exponent); }

    // ------------------------------------------------------------------ activations

    public static Var relu(Var x) { return ActivationOps.relu(x); }

    /** GELU in the exact erf form (PyTorch's default, {@code approximate='none'}). */
    public static Var gelu(Var x) { return ActivationOps.gelu(x); }

    // ------------------------------------------------------------------ linear algebra

    /** 2-D {@code [m,k]·[k,n]}, or batched {@code [...,m,k]·[...,k,n]} with equal leading dimensions. */
    public static Var matmul(Var a, Var b) { return LinearOps.matmul(a, b); }

    /** {@code x·Wᵀ + b} over the last dimension of {@code x}; {@code w} is {@code [out, in]}; {@code b} may be null. */
    public static Var linear(Var x, Var w, Var b) { return LinearOps.linear(x, w, b); }

    // ------------------------------------------------------------------ convolution and pooling (NCHW)

    /** 2-D convolution, groups = 1; {@code w} is {@code [out, in, kh, kw]}; {@code bias} may be null. */
    public static Var conv2d(Var x, Var w, Var bias, int stride, int padding) {
        return ConvOps.conv2d(x, w, bias, stride, padding);
    }

    /** {@code AdaptiveAvgPool2d(1)}: {@code [N,C,H,W] -> [N,C,1,1]}. */
    public static Var globalAvgPool(Var x) { return PoolOps.globalAvgPool(x); }

    /** Flattens dimensions {@code startDim..} into one. */
    public static Var flatten(Var x, int startDim) { return ShapeOps.flatten(x, startDim); }

    // ------------------------------------------------------------------ normalisation

    /**
     * BatchNorm over N,H,W per channel. Training mode normalises with batch statistics and updates the
     * running ones in place with {@code momentum} (running variance from the unbiased batch variance, as
     * PyTorch); eval mode normalises with the running statistics.
     */
    public static Var batchNorm2d(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar,
                                  boolean training, float momentum, float eps) {
        return BatchNormOps.batchNorm2d(x, gamma, beta, runningMean, runningVar, training, momentum, eps);
    }

    /** LayerNorm over the last dimension; {@code gamma}, {@code beta} may be null. */
    public static Var layerNorm(Var x, Var gamma, Var beta, float eps) {
        return LayerNormOps.layerNorm(x, gamma, beta, eps);
    }

    // ------------------------------------------------------------------ softmax and losses

    public static Var softmax(Var x, int dim) { return SoftmaxOps.softmax(x, dim); }

    public static Var logSoftmax(Var x, int dim) { return SoftmaxOps.logSoftmax(x, dim); }

    /** Cross-entropy of {@code [B, C]} logits against integer labels, mean over the batch (numerically stable). */
    public static Var crossEntropy(Var logits, int[] labels) { return LossOps.crossEntropy(logits, labels); }

    /** Per-row squared L2 norm: {@code [B, ...] -> [B]}, {@code ||x_i||²₂}. */
    public static Var squaredNorm(Var x) { return LossOps.squaredNorm(x); }

    /** The LFSSD loss: the batch mean of {@code ||f(x_i)||²₂}, a scalar. */
    public static Var meanSquaredNorm(Var x) { return LossOps.meanSquaredNorm(x); }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, a scalar of shape {@code []}. */
    public static Var sum(Var x) { return ReduceOps.sum(x); }

    public static Var sum(Var x, int[] dims, boolean keepDim) { return ReduceOps.sum(x, dims, keepDim); }

    /** Mean of all elements, a scalar of shape {@code []}. */
    public static Var mean(Var x) { return ReduceOps.mean(x); }

    public static Var mean(Var x, int[] dims, boolean keepDim) { return ReduceOps.mean(x, dims, keepDim); }

    // ------------------------------------------------------------------ shape

    public static Var reshape(Var x, int... shape) { return ShapeOps.reshape(x, shape); }

    public static Var transpose(Var x, int d0, int d1) { return ShapeOps.transpose(x, d0, d1); }

    public static Var permute(Var x, int... dims) { return ShapeOps.permute(x, dims); }

    public static Var concat(int dim, Var... xs) { return ShapeOps.concat(dim, xs); }

    /** Elements {@code [start, end)} along {@code dim}. */
    public static Var slice(Var x, int dim, int start, int end) { return ShapeOps.slice(x, dim, start, end); }

    /** Index {@code index} along {@code dim}, which is removed (ViT's {@code x[:, 0]}). */
    public static Var select(Var x, int dim, int index) { return ShapeOps.select(x, dim, index); }

    /** Broadcasts size-1 (or missing leading) dimensions to {@code shape}. */
    public static Var expand(Var x, int... shape) { return ShapeOps.expand(x, shape); }

    // ------------------------------------------------------------------ attention and dropout

    /**
     * Scaled dot-product attention, {@code softmax(q·kᵀ/√d)·v}, on {@code [B, H, N, d]} tensors. Saves only
     * the attention probabilities for backward.
     */
    public static Var scaledDotProductAttention(Var q, Var k, Var v) { return AttentionOps.scaledDotProductAttention(q, k, v); }

    /**
     * Multi-head self-attention on the packed output of a {@code qkv} Linear, {@code [B, N, 3·heads·d]} in timm's
     * {@code [B, N, 3, H, d]} order, giving {@code [B, N, heads·d]} with the heads merged (no permuted copies).
     */
    public static Var multiHeadSelfAttention(Var qkv, int heads) { return AttentionOps.multiHeadSelfAttention(qkv, heads); }

    /** Inverted dropout with probability {@code p} drawn from {@code rng}; the identity when not training. */
    public static Var dropout(Var x, float p, boolean training, RandomGenerator rng) {
        return DropoutOps.dropout(x, p, training, rng);
    }
}
