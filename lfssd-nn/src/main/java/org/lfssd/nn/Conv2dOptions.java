package org.lfssd.nn;

/**
 * The settings of a {@link Conv2d}, named as {@code torch.nn.Conv2d}'s keyword arguments, so that the
 * kernel size, stride and padding cannot be swapped by position:
 * {@code new Conv2d(64, 128, Conv2dOptions.kernel(3).stride(2).padding(1).bias(false), rng)}.
 * Defaults are PyTorch's: stride 1, no padding, with a bias. Immutable; each setter returns a copy.
 * {@link Conv2d}'s constructor validates the values.
 */
public final class Conv2dOptions {
    final int kernelSize;
    final int stride;
    final int padding;
    final boolean bias;

    private Conv2dOptions(int kernelSize, int stride, int padding, boolean bias) {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.bias = bias;
    }

    /**
     * A square {@code size x size} kernel, stride 1, no padding, with a bias.
     *
     * @param size the side of the kernel
     * @return the options
     */
    public static Conv2dOptions kernel(int size) {
        return new Conv2dOptions(size, 1, 0, true);
    }

    /**
     * With this step of the kernel on both axes.
     *
     * @param stride the stride
     * @return a copy with this stride
     */
    public Conv2dOptions stride(int stride) {
        return new Conv2dOptions(kernelSize, stride, padding, bias);
    }

    /**
     * With this many zeros added on each side of both axes.
     *
     * @param padding the zero padding
     * @return a copy with this padding
     */
    public Conv2dOptions padding(int padding) {
        return new Conv2dOptions(kernelSize, stride, padding, bias);
    }

    /**
     * With or without a learned bias.
     *
     * @param bias whether to add one
     * @return a copy with this choice
     */
    public Conv2dOptions bias(boolean bias) {
        return new Conv2dOptions(kernelSize, stride, padding, bias);
    }

    @Override
    public String toString() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", bias=" + bias;
    }
}
