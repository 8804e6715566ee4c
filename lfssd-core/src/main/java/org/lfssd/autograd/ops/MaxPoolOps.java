package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * {@code nn.MaxPool2d(kernel, stride, padding)} over NCHW tensors (square window, dilation 1, floor mode),
 * as in torchvision ResNet's stem ({@code MaxPool2d(3, 2, 1)}). Padding counts as -∞, so it never wins.
 *
 * <p>Forward keeps, per output element, the flat input index of the maximum; backward adds each output
 * gradient to that one input element. Ties go to the first maximum in row-major window order, as in
 * PyTorch's CPU kernel. Planes are split into tasks by shape only, so results do not depend on threads.
 */
public final class MaxPoolOps {
    private MaxPoolOps() {}

    /**
     * Max pooling with a {@code kernel × kernel} window.
     *
     * @param x       input {@code [N, C, H, W]}
     * @param kernel  window side, positive
     * @param stride  step between windows, positive
     * @param padding implicit -∞ border on each side, at most {@code kernel / 2} (PyTorch's rule)
     * @return {@code [N, C, (H + 2p - k)/s + 1, (W + 2p - k)/s + 1]}
     */
    public static Var maxPool2d(Var x, int kernel, int stride, int padding) {
        Tensor xv = x.value();
        if (xv.dim() != 4) {
            throw new IllegalArgumentException("maxPool2d: expected x [N,C,H,W], got " + Shapes.str(xv.shape()));
        }
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("maxPool2d: invalid kernel=" + kernel + " stride=" + stride + " padding="
                    + padding + " (padding must be at most kernel/2)");
        }
        int h = xv.size(2);
        int w = xv.size(3);
        int oh = (h + 2 * padding - kernel) / stride + 1;
        int ow = (w + 2 * padding - kernel) / stride + 1;
        if (h + 2 * padding < kernel || w + 2 * padding < kernel) {
            throw new IllegalArgumentException("maxPool2d: input " + Shapes.str(xv.shape()) + " is smaller than the "
                    + kernel + "x" + kernel + " window with padding " + padding);
        }
        int[] inShape = xv.shape();
        int planes = xv.size(0) * xv.size(1);
        int outPlane = oh * ow;
        Tensor y = Tensor.zeros(xv.size(0), xv.size(1), oh, ow);
        int[] argmax = new int[planes * outPlane];
        float[] xd = xv.data();
        int xOff = xv.offset();
        float[] yd = y.data();
        Parallel.forRows(planes, outPlane, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int in = p * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bestIndex = -1;
                        for (int di = 0; di < kernel; di++) {
                            int r = i * stride - padding + di;
                            if (r < 0 || r >= h) {
                                continue;
                            }
                            for (int dj = 0; dj < kernel; dj++) {
                                int c = j * stride - padding + dj;
                                if (c < 0 || c >= w) {
                                    continue;
                                }
                                float v = xd[xOff + in + r * w + c];
                                // "> or NaN" as PyTorch: a NaN wins and propagates.
                                if (bestIndex < 0 || v > best || Float.isNaN(v)) {
                                    best = v;
                                    bestIndex = in + r * w + c;
                                    if (Float.isNaN(v)) {
                                        break;
                                    }
                                }
                            }
                        }
                        int o = p * outPlane + i * ow + j;
                        yd[o] = best;
                        argmax[o] = bestIndex;
                    }
                }
            }
        });
        return Var.fromOp("maxPool2d", y, gy -> {
            Tensor dx = Tensor.zeros(inShape);
            float[] dxd = dx.data();
            float[] g = gy.data();
            int gOff = gy.offset();
            // Windows overlap, so two outputs of one plane can hit the same input: one task per plane range.
            Parallel.forRows(planes, outPlane, (p0, p1) -> {
                for (int o = p0 * outPlane; o < p1 * outPlane; o++) {
                    dxd[argmax[o]] += g[gOff + o];
                }
            });
            return new Tensor[] {dx};
        }, x);
    }
}
