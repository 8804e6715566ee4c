package org.lfssd.nn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/** {@code nn.MaxPool2d(kernel, stride, padding)} over NCHW input; no parameters. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * A max pool with a square window.
     *
     * @param kernel  window side
     * @param stride  step between windows
     * @param padding implicit -∞ border, at most {@code kernel / 2}
     */
    public MaxPool2d(int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("MaxPool2d: invalid kernel=" + kernel + " stride=" + stride + " padding="
                    + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Var forward(Var x) {
        try {
            return F.maxPool2d(x, kernel, stride, padding);
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }
}
