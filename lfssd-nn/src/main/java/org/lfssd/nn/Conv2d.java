package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/**
 * 2-D convolution over NCHW input with a square kernel, one stride and one zero padding for both axes,
 * groups = 1 ({@code nn.Conv2d}). Parameters {@code weight [out, in, k, k]} and optionally {@code bias [out]},
 * initialised as PyTorch does by default.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final Var weight;
    private final Var bias;

    /**
     * A convolution with PyTorch's default initialisation, e.g.
     * {@code new Conv2d(64, 128, Conv2dOptions.kernel(3).stride(2).padding(1).bias(false), rng)}.
     *
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param options     kernel size, stride, padding and bias
     * @param rng         source of the initial weights
     * @throws IllegalArgumentException if a count or size is not positive or the padding is negative
     */
    public Conv2d(int inChannels, int outChannels, Conv2dOptions options, RandomGenerator rng) {
        int kernelSize = options.kernelSize;
        int stride = options.stride;
        int padding = options.padding;
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: invalid configuration in=" + inChannels + " out=" + outChannels
                    + " kernel=" + kernelSize + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.weight = registerParameter("weight",
                Init.kaimingUniformDefault(rng, outChannels, inChannels, kernelSize, kernelSize));
        this.bias = options.bias
                ? registerParameter("bias", Init.defaultBias(rng, inChannels * kernelSize * kernelSize, outChannels))
                : null;
    }

    /**
     * A convolution with PyTorch's default initialisation.
     *
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param kernelSize  side of the square kernel
     * @param stride      step of the kernel on both axes
     * @param padding     zeros added on each side of both axes
     * @param bias        whether to add a learned bias
     * @param rng         source of the initial weights
     * @deprecated five numbers by position are easy to swap; use
     *             {@link #Conv2d(int, int, Conv2dOptions, RandomGenerator)}
     */
    @Deprecated
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias,
                  RandomGenerator rng) {
        this(inChannels, outChannels, Conv2dOptions.kernel(kernelSize).stride(stride).padding(padding).bias(bias), rng);
    }

    @Override
    public Var forward(Var x) {
        try {
            return F.conv2d(x, weight, bias, stride, padding);
        } catch (IllegalArgumentException e) {
            throw located(e, layoutHint(x));
        }
    }

    /**
     * This convolution on channels-last activations ({@link F#conv2dChannelsLast}): the same values as
     * {@link #forward} on their NCHW form, for models that keep activations channels-last between layers.
     *
     * @param x the input {@code [N, H, W, in]}
     * @return {@code [N, H', W', out]}
     */
    public Var forwardChannelsLast(Var x) {
        try {
            return F.conv2dChannelsLast(x, weight, bias, stride, padding);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }

    /** A hint when {@code x} looks like an NHWC image batch: its last axis, not its second, has our channels. */
    private String layoutHint(Var x) {
        if (x.dim() == 4 && x.size(1) != inChannels && x.size(3) == inChannels) {
            return "The input looks channels-last (NHWC); modules take NCHW [batch, channels, height, width]:"
                    + " permute it with F.permute(x, 0, 3, 1, 2).";
        }
        return null;
    }

    /** {@return the weight {@code [out, in, k, k]}} */
    public Var weight() {
        return weight;
    }

    /**
     * The bias, or null when built without one.
     *
     * @return the bias or null
     */
    public Var bias() {
        return bias;
    }

    /** {@return the input channel count} */
    public int inChannels() {
        return inChannels;
    }

    /** {@return the output channel count} */
    public int outChannels() {
        return outChannels;
    }

    /** {@return the kernel side} */
    public int kernelSize() {
        return kernelSize;
    }

    /** {@return the stride} */
    public int stride() {
        return stride;
    }

    /** {@return the zero padding on each side} */
    public int padding() {
        return padding;
    }
}
