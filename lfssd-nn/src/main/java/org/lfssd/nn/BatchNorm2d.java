package org.lfssd.nn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * Batch normalisation per channel of NCHW input ({@code nn.BatchNorm2d} with affine parameters and
 * running statistics). Training mode normalises with the batch statistics, blends them into the running
 * ones with {@code momentum} and counts the batch in {@code num_batches_tracked}; eval mode normalises
 * with the running statistics.
 */
public final class BatchNorm2d extends Module {
    /** PyTorch's defaults. */
    public static final float DEFAULT_EPS = 1e-5f;
    /** PyTorch's default momentum of the running statistics. */
    public static final float DEFAULT_MOMENTUM = 0.1f;

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Var weight;
    private final Var bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /**
     * A BatchNorm over {@code numFeatures} channels with affine parameters and running statistics.
     *
     * @param numFeatures the channel count C of {@code [N, C, H, W]} inputs
     * @param eps         added to the variance for stability
     * @param momentum    weight of the new batch statistics in the running ones
     */
    public BatchNorm2d(int numFeatures, float eps, float momentum) {
        if (numFeatures <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: invalid features=" + numFeatures + " eps=" + eps + " momentum=" + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", Tensor.ones(numFeatures));
        this.bias = registerParameter("bias", Tensor.zeros(numFeatures));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        // A 0-dim tensor, like PyTorch's int64 scalar.
        this.numBatchesTracked = registerIntegerBuffer("num_batches_tracked", Tensor.zeros());
    }

    /**
     * A BatchNorm with PyTorch's defaults (eps 1e-5, momentum 0.1).
     *
     * @param numFeatures the channel count
     */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    @Override
    public Var forward(Var x) {
        Var y;
        try {
            y = F.batchNorm2d(x, weight, bias, runningMean, runningVar, isTraining(), momentum, eps);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
        if (isTraining()) {
            // Counted after the op so that a rejected input leaves the counter as it was.
            numBatchesTracked.data()[numBatchesTracked.offset()] += 1f;
        }
        return y;
    }

    /**
     * This layer, plus {@code residual} if it is not null, then ReLU: {@code relu(bn(x) + residual)}. In eval
     * mode one fused op ({@link F#batchNormAddReluEval}, the same values in one pass each way, without the
     * intermediate tensors); in training mode the three ops, since the batch statistics are needed.
     *
     * @param x        the input {@code [N, C, H, W]}
     * @param residual added before the ReLU, same shape as {@code x}, or null
     * @return {@code relu(bn(x) + residual)}
     */
    public Var forwardAddRelu(Var x, Var residual) {
        if (isTraining()) {
            Var y = forward(x);
            return F.relu(residual == null ? y : F.add(y, residual));
        }
        try {
            return F.batchNormAddReluEval(x, weight, bias, runningMean, runningVar, eps, residual);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }

    /**
     * Eval mode on channels-last activations: {@code [relu](bn(x) + residual)} on {@code [N, H, W, C]}
     * ({@link F#batchNormEvalChannelsLast}), the same values as {@link #forwardAddRelu} (or {@link #forward})
     * on their NCHW form; the gamma and beta gradients agree to rounding (their sums run in another order).
     *
     * @param x        the input {@code [N, H, W, C]}
     * @param residual added before the ReLU, same shape as {@code x}, or null
     * @param relu     whether to apply the ReLU
     * @return {@code [relu](bn(x) + residual)}, channels last
     * @throws IllegalStateException in training mode, which needs the batch statistics of the NCHW ops
     */
    public Var forwardChannelsLast(Var x, Var residual, boolean relu) {
        if (isTraining()) {
            throw new IllegalStateException("BatchNorm2d.forwardChannelsLast runs in eval mode only; " + path()
                    + " is in training mode");
        }
        try {
            return F.batchNormEvalChannelsLast(x, weight, bias, runningMean, runningVar, eps, residual, relu);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }

    /** {@return the channel count} */
    public int numFeatures() {
        return numFeatures;
    }

    /** {@return γ, the scale ({@code weight})} */
    public Var weight() {
        return weight;
    }

    /** {@return β, the shift ({@code bias})} */
    public Var bias() {
        return bias;
    }

    /** {@return the running mean buffer (live)} */
    public Tensor runningMean() {
        return runningMean;
    }

    /** {@return the running variance buffer (live)} */
    public Tensor runningVar() {
        return runningVar;
    }

    /**
     * How many training-mode batches have updated the running statistics.
     *
     * @return the counter
     */
    public long numBatchesTracked() {
        return (long) numBatchesTracked.item();
    }
}
