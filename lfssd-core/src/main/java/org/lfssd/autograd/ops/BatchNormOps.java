package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * BatchNorm over {@code [N, C, H, W]}: every channel is normalised over its N*H*W values.
 *
 * <p>Training mode normalises with the batch mean and biased variance and updates the running
 * statistics in place as PyTorch does: {@code running = (1 - momentum) * running + momentum * batch},
 * using the unbiased variance ({@code n/(n-1)}) for the running variance. Its backward goes through the
 * batch statistics. Eval mode is the per-channel affine map
 * {@code y = x * scale + shift} with {@code scale = gamma / sqrt(runningVar + eps)} and
 * {@code shift = beta - runningMean * scale}; the running statistics are constants.
 *
 * <p>Work is split over blocks of channels (a function of the shape only); each channel's sums run over
 * its planes in image order, per-plane partial sums from the kernel provider combined in double. So
 * results are bit-identical for any thread count. Backward keeps only the input (which the producer of
 * {@code x} holds anyway) and two floats per channel; the normalised input is recomputed.
 */
public final class BatchNormOps {
    private BatchNormOps() {}

    /**
     * Batch normalisation of {@code x [N,C,H,W]}. {@code gamma} and {@code beta} are {@code [C]} or null
     * (no affine transform); {@code runningMean} and {@code runningVar} are {@code [C]} and are updated in
     * place when {@code training}.
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
        Tensor xv = x.value();
        Layout l = validate(xv, gamma, beta, runningMean, runningVar, training, eps);
        Tensor gv = gamma == null ? null : gamma.value();
        Tensor bv = beta == null ? null : beta.value();
        boolean needX = x.requiresGrad();
        boolean needGamma = gamma != null && gamma.requiresGrad();
        boolean needBeta = beta != null && beta.requiresGrad();
        // Per channel: the centre and the inverse standard deviation used to normalise.
        float[] mean = new float[l.channels];
        float[] invStd = new float[l.channels];
        if (training) {
            batchStatistics(l, xv, eps, mean, invStd, runningMean, runningVar, momentum);
        } else {
            for (int c = 0; c < l.channels; c++) {
                mean[c] = runningMean.data()[runningMean.offset() + c];
                invStd[c] = (float) (1.0 / Math.sqrt((double) runningVar.data()[runningVar.offset() + c] + eps));
            }
        }
        Tensor y = normalise(l, xv, mean, invStd, gv, bv);
        // Eval-mode dX is a plain rescale of dY; everything else needs the per-channel sums.
        boolean needSums = needGamma || needBeta || (training && needX);
        return Var.fromOp(training ? "batchNorm2d(train)" : "batchNorm2d(eval)", y, gy -> {
            Tensor[] sums = needSums ? channelSums(l, xv, gy, mean, invStd) : null;
            return new Tensor[] {
                needX ? inputGrad(l, xv, gy, mean, invStd, gv, sums, training) : null,
                needGamma ? sums[1] : null,
                needBeta ? sums[0] : null,
            };
        }, x, gamma, beta);
    }

    /**
     * Eval-mode BatchNorm, plus {@code residual} when it is not null, then ReLU, as one op:
     * {@code y = max(x * scale + shift [+ residual], 0)} with the running statistics, bit for bit what
     * {@code relu(add(batchNorm2d(x, ..., false, ...), residual))} computes ({@link KernelProvider#scaleShiftAddRelu}
     * on every plane, rounding as those ops do in turn; one {@link KernelProvider#scaleShiftAddReluPlanes} call
     * per image and block of channels), without materialising the normalised or summed tensors.
     *
     * <p>Backward is one pass over the planes (one {@link KernelProvider#reluScaleBackwardPlanes} call per
     * image and block of channels): the ReLU mask from the output (kept anyway as the next layer's
     * saved input), the gradient before the mask ({@code dZ}, also the residual's gradient), the gamma
     * and beta sums and {@code dX = dZ * scale}. It keeps the input and the output; {@code dZ} is a full
     * tensor only when the residual needs a gradient, otherwise it is not written.
     *
     * @param x           the input {@code [N, C, H, W]}
     * @param gamma       the scale {@code [C]}, or null
     * @param beta        the shift {@code [C]}, or null
     * @param runningMean the running mean {@code [C]}
     * @param runningVar  the running variance {@code [C]}
     * @param eps         added to the variance
     * @param residual    added after the normalisation, same shape as {@code x}, or null
     * @return {@code max(batchNorm(x) + residual, 0)}
     * @throws IllegalArgumentException if a shape does not match, naming it
     */
    public static Var batchNormAddReluEval(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar, float eps,
                                           Var residual) {
        Tensor xv = x.value();
        Layout l = validate(xv, gamma, beta, runningMean, runningVar, false, eps);
        Tensor rv = residual == null ? null : residual.value();
        if (rv != null) {
            Shapes.requireSame("batchNormAddRelu: residual", xv.shape(), rv.shape());
        }
        Tensor gv = gamma == null ? null : gamma.value();
        Tensor bv = beta == null ? null : beta.value();
        EvalCoefficients coefficients = EvalCoefficients.of(runningMean, runningVar, eps, gv, bv, l.channels);
        float[] mean = coefficients.mean();
        float[] invStd = coefficients.invStd();
        float[] scale = coefficients.scale();
        float[] shift = coefficients.shift();
        Tensor y = Tensor.uninitialized(xv.shape()); // every plane written
        KernelProvider ops = Kernels.provider();
        float[] xd = xv.data();
        int xOff = xv.offset();
        float[] yd = y.data();
        // A task's channels are consecutive planes of each image: one call per image covers them all.
        Parallel.forRows(l.channels, l.count(), (c0, c1) -> {
            for (int i = 0; i < l.images; i++) {
                int at = l.at(i, c0);
                ops.scaleShiftAddReluPlanes(scale, shift, c0, c1 - c0, xd, xOff + at, rv == null ? null : rv.data(),
                        rv == null ? 0 : rv.offset() + at, yd, at, l.plane);
            }
        });
        boolean needX = x.requiresGrad();
        boolean needGamma = gamma != null && gamma.requiresGrad();
        boolean needBeta = beta != null && beta.requiresGrad();
        boolean needResidual = residual != null && residual.requiresGrad();
        return Var.fromOp(residual == null ? "batchNormRelu(eval)" : "batchNormAddRelu(eval)", y,
                gy -> fusedBackward(l, xv, y, gy, mean, invStd, scale, needX, needGamma, needBeta, needResidual),
                x, gamma, beta, residual);
    }

    /** Pixels per call of the channels-last backward kernel: its float sums cover this many, then go to double. */
    static final int PIXEL_BLOCK = 64;

    /**
     * Eval-mode BatchNorm on channels-last {@code x [N, H, W, C]} (each pixel's C channels contiguous, channel
     * {@code c}'s parameters at index {@code i % C}), plus {@code residual} when it is not null, then ReLU
     * when {@code relu}: {@code y = [max](x * scale + shift [+ residual], 0)} with the running statistics,
     * element for element the same bits as {@link #batchNormAddReluEval} (or, without the ReLU, eval
     * {@link #batchNorm2d} plus the residual) on the NCHW form of the same values.
     *
     * <p>The gradients of gamma and beta are per-channel reductions, in this fixed order: every image's
     * pixels are cut into blocks of {@value #PIXEL_BLOCK} in pixel order; within a block, each channel's
     * terms are added in pixel order in float ({@link KernelProvider#reluScaleBackwardPixels}); the block
     * sums are added in double, blocks in order within the image, images in order. Tasks are images
     * (their partial sums kept apart, then added in image order), so the bits do not depend on the thread
     * count. The order differs from the NCHW op's, so the two agree to rounding, not bit for bit; the
     * input and residual gradients are elementwise and agree exactly.
     *
     * @param x           the input {@code [N, H, W, C]}, channels last
     * @param gamma       the scale {@code [C]}, or null
     * @param beta        the shift {@code [C]}, or null
     * @param runningMean the running mean {@code [C]}
     * @param runningVar  the running variance {@code [C]}
     * @param eps         added to the variance
     * @param residual    added after the normalisation, same shape as {@code x}, or null
     * @param relu        whether to apply the ReLU
     * @return {@code [max](batchNorm(x) + residual, 0)}, channels last
     * @throws IllegalArgumentException if a shape does not match, naming it
     */
    public static Var batchNormEvalChannelsLast(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar, float eps,
                                                Var residual, boolean relu) {
        Tensor xv = x.value();
        if (xv.dim() != 4) {
            throw new IllegalArgumentException("batchNormChannelsLast: expected x [N,H,W,C], got " + Shapes.str(xv.shape()));
        }
        int channels = xv.size(3);
        requireChannelVector("gamma", gamma == null ? null : gamma.value(), channels, xv);
        requireChannelVector("beta", beta == null ? null : beta.value(), channels, xv);
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchNormChannelsLast: running mean and variance are required");
        }
        requireChannelVector("running mean", runningMean, channels, xv);
        requireChannelVector("running variance", runningVar, channels, xv);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("batchNormChannelsLast: eps must be >= 0, got " + eps);
        }
        Tensor rv = residual == null ? null : residual.value();
        if (rv != null) {
            Shapes.requireSame("batchNormChannelsLast: residual", xv.shape(), rv.shape());
        }
        Tensor gv = gamma == null ? null : gamma.value();
        Tensor bv = beta == null ? null : beta.value();
        EvalCoefficients coefficients = EvalCoefficients.of(runningMean, runningVar, eps, gv, bv, channels);
        float[] mean = coefficients.mean();
        float[] invStd = coefficients.invStd();
        float[] scale = coefficients.scale();
        float[] shift = coefficients.shift();
        int images = xv.size(0);
        int pixels = xv.size(1) * xv.size(2);
        int image = pixels * channels;
        Tensor y = Tensor.uninitialized(xv.shape()); // every pixel written
        KernelProvider ops = Kernels.provider();
        float[] xd = xv.data();
        int xOff = xv.offset();
        float[] yd = y.data();
        Parallel.forRows(images, image, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                int at = n * image;
                ops.scaleShiftAddReluPixels(scale, shift, channels, xd, xOff + at, rv == null ? null : rv.data(),
                        rv == null ? 0 : rv.offset() + at, relu, yd, at, pixels);
            }
        });
        boolean needX = x.requiresGrad();
        boolean needGamma = gamma != null && gamma.requiresGrad();
        boolean needBeta = beta != null && beta.requiresGrad();
        boolean needResidual = residual != null && residual.requiresGrad();
        String op = "batchNorm" + (residual == null ? "" : "Add") + (relu ? "Relu" : "") + "(eval, channels last)";
        return Var.fromOp(op, y, gy -> channelsLastBackward(xv, relu ? y : null, gy, mean, invStd, scale, needX, needGamma,
                needBeta, needResidual), x, gamma, beta, residual);
    }

    /** {@code {dX, dGamma, dBeta, dResidual}} of {@link #batchNormEvalChannelsLast}, whichever are wanted. */
    private static Tensor[] channelsLastBackward(Tensor x, Tensor y, Tensor gy, float[] mean, float[] invStd, float[] scale,
                                                 boolean needX, boolean needGamma, boolean needBeta, boolean needResidual) {
        KernelProvider ops = Kernels.provider();
        int images = x.size(0);
        int pixels = x.size(1) * x.size(2);
        int channels = x.size(3);
        int image = pixels * channels;
        boolean needSums = needGamma || needBeta;
        // Without a ReLU the gradient before it is the output gradient itself: the residual shares it.
        boolean writeDz = needResidual && y != null;
        // The kernel writes (not adds) dz and dx at every pixel.
        Tensor dz = writeDz ? Tensor.uninitialized(x.shape()) : null;
        Tensor dx = needX ? Tensor.uninitialized(x.shape()) : null;
        double[] partial = needSums ? new double[images * 2 * channels] : null;
        float[] xd = x.data();
        int xOff = x.offset();
        float[] yd = y == null ? null : y.data();
        float[] g = gy.data();
        int gOff = gy.offset();
        Parallel.forRows(images, 2L * image, (n0, n1) -> {
            float[] sums = needSums ? new float[2 * channels] : null;
            for (int n = n0; n < n1; n++) {
                for (int p0 = 0; p0 < pixels; p0 += PIXEL_BLOCK) {
                    int at = n * image + p0 * channels;
                    ops.reluScaleBackwardPixels(yd, at, g, gOff + at, xd, xOff + at, mean, scale, channels,
                            writeDz ? dz.data() : null, at, needX ? dx.data() : null, at, sums,
                            Math.min(PIXEL_BLOCK, pixels - p0));
                    if (needSums) {
                        int base = n * 2 * channels;
                        for (int k = 0; k < 2 * channels; k++) {
                            partial[base + k] += sums[k];
                        }
                    }
                }
            }
        });
        Tensor sumG = null;
        Tensor sumGXhat = null;
        if (needSums) {
            sumG = Tensor.zeros(channels);
            sumGXhat = Tensor.zeros(channels);
            for (int c = 0; c < channels; c++) {
                double sg = 0;
                double sgx = 0;
                for (int n = 0; n < images; n++) {
                    sg += partial[n * 2 * channels + c];
                    sgx += partial[n * 2 * channels + channels + c];
                }
                sumG.data()[c] = (float) sg;
                sumGXhat.data()[c] = (float) (sgx * invStd[c]);
            }
        }
        Tensor dResidual = needResidual ? (writeDz ? dz : gy) : null;
        return new Tensor[] {dx, needGamma ? sumGXhat : null, needBeta ? sumG : null, dResidual};
    }

    /** {@code {dX, dGamma, dBeta, dResidual}} of {@link #batchNormAddReluEval}, whichever are wanted. */
    private static Tensor[] fusedBackward(Layout l, Tensor x, Tensor y, Tensor gy, float[] mean, float[] invStd,
                                          float[] scale, boolean needX, boolean needGamma, boolean needBeta,
                                          boolean needResidual) {
        KernelProvider ops = Kernels.provider();
        // The kernel writes (not adds) dz and dx at every element of every plane.
        Tensor dz = needResidual ? Tensor.uninitialized(x.shape()) : null;
        Tensor dx = needX ? Tensor.uninitialized(x.shape()) : null;
        Tensor sumG = needBeta || needGamma ? Tensor.zeros(l.channels) : null;
        Tensor sumGXhat = needBeta || needGamma ? Tensor.zeros(l.channels) : null;
        float[] xd = x.data();
        int xOff = x.offset();
        float[] yd = y.data();
        float[] g = gy.data();
        int gOff = gy.offset();
        Parallel.forRows(l.channels, l.count(), (c0, c1) -> {
            int planes = c1 - c0;
            float[] planeSums = sumG == null ? null : new float[2 * planes];
            // Per channel, the planes' sums added in image order, as one channel at a time would.
            double[] sg = new double[planes];
            double[] sgx = new double[planes];
            for (int i = 0; i < l.images; i++) {
                int at = l.at(i, c0);
                ops.reluScaleBackwardPlanes(yd, at, g, gOff + at, xd, xOff + at, mean, scale, c0, planes,
                        needResidual ? dz.data() : null, at, needX ? dx.data() : null, at, planeSums, l.plane);
                if (sumG != null) {
                    for (int k = 0; k < planes; k++) {
                        sg[k] += planeSums[2 * k];
                        sgx[k] += planeSums[2 * k + 1];
                    }
                }
            }
            if (sumG != null) {
                for (int k = 0; k < planes; k++) {
                    sumG.data()[c0 + k] = (float) sg[k];
                    sumGXhat.data()[c0 + k] = (float) (sgx[k] * invStd[c0 + k]);
                }
            }
        });
        return new Tensor[] {dx, needGamma ? sumGXhat : null, needBeta ? sumG : null, dz};
    }

    /** The sizes of the input, seen as C channels of {@code images} planes of {@code plane} values. */
    private record Layout(int images, int channels, int plane) {
        int count() {
            return images * plane;
        }

        /** Offset of plane (n, c) relative to the tensor's start. */
        int at(int n, int c) {
            return (n * channels + c) * plane;
        }
    }

    /**
     * The per-channel factors of eval-mode BatchNorm from the running statistics:
     * {@code y = scale·x + shift}, {@code scale = γ/sqrt(var + eps)}, {@code shift = β - mean·scale}
     * (γ = 1 and β = 0 when absent); {@code mean} and {@code invStd} are kept for the backward.
     */
    private record EvalCoefficients(float[] mean, float[] invStd, float[] scale, float[] shift) {
        static EvalCoefficients of(Tensor runningMean, Tensor runningVar, float eps, Tensor gv, Tensor bv, int channels) {
            float[] mean = new float[channels];
            float[] invStd = new float[channels];
            float[] scale = new float[channels];
            float[] shift = new float[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = runningMean.data()[runningMean.offset() + c];
                invStd[c] = (float) (1.0 / Math.sqrt((double) runningVar.data()[runningVar.offset() + c] + eps));
                scale[c] = invStd[c] * (gv == null ? 1f : gv.data()[gv.offset() + c]);
                shift[c] = (bv == null ? 0f : bv.data()[bv.offset() + c]) - mean[c] * scale[c];
            }
            return new EvalCoefficients(mean, invStd, scale, shift);
        }
    }

    private static Layout validate(Tensor x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar,
                                   boolean training, float eps) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("batchNorm2d: expected x [N,C,H,W], got " + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        requireChannelVector("gamma", gamma == null ? null : gamma.value(), c, x);
        requireChannelVector("beta", beta == null ? null : beta.value(), c, x);
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchNorm2d: running mean and variance are required, got "
                    + (runningMean == null ? "null" : Shapes.str(runningMean.shape())) + " and "
                    + (runningVar == null ? "null" : Shapes.str(runningVar.shape())));
        }
        requireChannelVector("running mean", runningMean, c, x);
        requireChannelVector("running variance", runningVar, c, x);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("batchNorm2d: eps must be >= 0, got " + eps);
        }
        Layout l = new Layout(x.size(0), c, x.size(2) * x.size(3));
        if (training && l.count() < 2) {
            throw new IllegalArgumentException("batchNorm2d: training needs more than one value per channel, got x "
                    + Shapes.str(x.shape()));
        }
        return l;
    }

    private static void requireChannelVector(String what, Tensor t, int channels, Tensor x) {
        if (t != null && (t.dim() != 1 || t.size(0) != channels)) {
            throw new IllegalArgumentException("batchNorm2d: " + what + " has shape " + Shapes.str(t.shape())
                    + " but x " + Shapes.str(x.shape()) + " has " + channels + " channels, so [" + channels + "] is expected");
        }
    }

    /**
     * Batch mean and biased variance per channel (two passes, in double over per-plane partials), the
     * inverse standard deviation for normalising, and the in-place update of the running statistics.
     */
    private static void batchStatistics(Layout l, Tensor x, float eps, float[] mean, float[] invStd,
                                        Tensor runningMean, Tensor runningVar, float momentum) {
        KernelProvider ops = Kernels.provider();
        float[] xd = x.data();
        int xOff = x.offset();
        double n = l.count();
        Parallel.forRows(l.channels, l.count(), (c0, c1) -> {
            float[] centred = new float[l.plane];
            for (int c = c0; c < c1; c++) {
                double sum = 0;
                for (int i = 0; i < l.images; i++) {
                    sum += ops.sum(xd, xOff + l.at(i, c), l.plane);
                }
                double mu = sum / n;
                double squares = 0;
                for (int i = 0; i < l.images; i++) {
                    ops.addScalar((float) -mu, xd, xOff + l.at(i, c), centred, 0, l.plane);
                    squares += ops.sumSquares(centred, 0, l.plane);
                }
                double biasedVar = squares / n;
                mean[c] = (float) mu;
                invStd[c] = (float) (1.0 / Math.sqrt(biasedVar + eps));
                float[] rm = runningMean.data();
                float[] rv = runningVar.data();
                int m = runningMean.offset() + c;
                int v = runningVar.offset() + c;
                rm[m] = (float) ((1.0 - momentum) * rm[m] + momentum * mu);
                rv[v] = (float) ((1.0 - momentum) * rv[v] + momentum * biasedVar * n / (n - 1));
            }
        });
    }

    /** {@code y = (x - mean) * invStd * gamma + beta}, as one scale and shift per channel. */
    private static Tensor normalise(Layout l, Tensor x, float[] mean, float[] invStd, Tensor gamma, Tensor beta) {
        KernelProvider ops = Kernels.provider();
        Tensor y = Tensor.zeros(x.shape());
        float[] xd = x.data();
        int xOff = x.offset();
        float[] yd = y.data();
        Parallel.forRows(l.channels, l.count(), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float scale = invStd[c] * (gamma == null ? 1f : gamma.data()[gamma.offset() + c]);
                float shift = (beta == null ? 0f : beta.data()[beta.offset() + c]) - mean[c] * scale;
                for (int i = 0; i < l.images; i++) {
                    int at = l.at(i, c);
                    ops.scale(scale, xd, xOff + at, yd, at, l.plane);
                    ops.addScalar(shift, yd, at, yd, at, l.plane);
                }
            }
        });
        return y;
    }

    /**
     * Per channel: {@code sum(dY)} (the beta gradient) and {@code sum(dY * xhat)} (the gamma gradient),
     * with {@code xhat = (x - mean) * invStd}. Both modes need them; training also uses them for dX.
     */
    private static Tensor[] channelSums(Layout l, Tensor x, Tensor gy, float[] mean, float[] invStd) {
        KernelProvider ops = Kernels.provider();
        Tensor sumG = Tensor.zeros(l.channels);
        Tensor sumGXhat = Tensor.zeros(l.channels);
        float[] xd = x.data();
        int xOff = x.offset();
        float[] g = gy.data();
        int gOff = gy.offset();
        Parallel.forRows(l.channels, l.count(), (c0, c1) -> {
            float[] centred = new float[l.plane];
            for (int c = c0; c < c1; c++) {
                double sg = 0;
                double sgx = 0;
                for (int i = 0; i < l.images; i++) {
                    int at = l.at(i, c);
                    sg += ops.sum(g, gOff + at, l.plane);
                    ops.addScalar(-mean[c], xd, xOff + at, centred, 0, l.plane);
                    sgx += ops.dot(g, gOff + at, centred, 0, l.plane);
                }
                sumG.data()[c] = (float) sg;
                sumGXhat.data()[c] = (float) (sgx * invStd[c]);
            }
        });
        return new Tensor[] {sumG, sumGXhat};
    }

    /**
     * Eval: {@code dX = dY * gamma * invStd} ({@code sums} may be null). Training, through the batch statistics:
     * {@code dX = gamma * invStd * (dY - mean(dY) - xhat * mean(dY * xhat))}, means over the channel.
     */
    private static Tensor inputGrad(Layout l, Tensor x, Tensor gy, float[] mean, float[] invStd, Tensor gamma,
                                    Tensor[] sums, boolean training) {
        KernelProvider ops = Kernels.provider();
        Tensor dx = Tensor.zeros(x.shape());
        float[] dxd = dx.data();
        float[] xd = x.data();
        int xOff = x.offset();
        float[] g = gy.data();
        int gOff = gy.offset();
        float n = l.count();
        Parallel.forRows(l.channels, l.count(), (c0, c1) -> {
            float[] xhat = training ? new float[l.plane] : null;
            for (int c = c0; c < c1; c++) {
                float scale = invStd[c] * (gamma == null ? 1f : gamma.data()[gamma.offset() + c]);
                float meanG = training ? sums[0].data()[c] / n : 0f;
                float meanGXhat = training ? sums[1].data()[c] / n : 0f;
                for (int i = 0; i < l.images; i++) {
                    int at = l.at(i, c);
                    if (!training) {
                        ops.scale(scale, g, gOff + at, dxd, at, l.plane);
                        continue;
                    }
                    ops.addScalar(-mean[c], xd, xOff + at, xhat, 0, l.plane);
                    ops.scale(invStd[c], xhat, 0, xhat, 0, l.plane);
                    // dx = (g - meanG - xhat * meanGXhat) * scale, built up in the output plane.
                    ops.scale(-meanGXhat, xhat, 0, dxd, at, l.plane);
                    ops.add(dxd, at, g, gOff + at, dxd, at, l.plane);
                    ops.addScalar(-meanG, dxd, at, dxd, at, l.plane);
                    ops.scale(scale, dxd, at, dxd, at, l.plane);
                }
            }
        });
        return dx;
    }
}
