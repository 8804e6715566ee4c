package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.ChannelsLast;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * The two layouts of a batch of images as autograd ops: NCHW {@code [N, C, H, W]} (the library's tensors)
 * and channels-last {@code [N, H, W, C]} (each pixel's channels contiguous), which the channels-last ops
 * ({@link ConvOps#conv2dChannelsLast}, {@link BatchNormOps#batchNormEvalChannelsLast}) take and return so
 * that a chain of them needs one transpose at each end rather than two per convolution. Each op's gradient
 * is the other transpose; both are pure copies, so they change no value.
 */
public final class LayoutOps {
    private LayoutOps() {}

    /**
     * NCHW to channels-last.
     *
     * @param x the input {@code [N, C, H, W]}
     * @return the same values as {@code [N, H, W, C]}
     * @throws IllegalArgumentException if {@code x} is not 4-D
     */
    public static Var toChannelsLast(Var x) {
        Tensor xv = x.value();
        require("toChannelsLast", xv);
        Tensor y = toChannelsLast(xv);
        return Var.fromOp("toChannelsLast", y, gy -> new Tensor[] {toNchw(gy)}, x);
    }

    /**
     * Channels-last to NCHW, the inverse of {@link #toChannelsLast(Var)}.
     *
     * @param x the input {@code [N, H, W, C]}
     * @return the same values as {@code [N, C, H, W]}
     * @throws IllegalArgumentException if {@code x} is not 4-D
     */
    public static Var toNchw(Var x) {
        Tensor xv = x.value();
        require("toNchw", xv);
        Tensor y = toNchw(xv);
        return Var.fromOp("toNchw", y, gy -> new Tensor[] {toChannelsLast(gy)}, x);
    }

    private static void require(String op, Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D image batch, got " + Shapes.str(x.shape()));
        }
    }

    /** {@code [N, C, H, W]} to {@code [N, H, W, C]} through the provider's transpose. */
    static Tensor toChannelsLast(Tensor x) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        Tensor y = Tensor.uninitialized(n, h, w, c); // a permutation of every element
        ChannelsLast.fromNchw(x.data(), x.offset(), new ChannelsLast.Layout(n, c, h, w, c, 0, 0, h, w), y.data());
        return y;
    }

    /** {@code [N, H, W, C]} to {@code [N, C, H, W]} through the provider's transpose. */
    static Tensor toNchw(Tensor x) {
        int n = x.size(0), h = x.size(1), w = x.size(2), c = x.size(3);
        Tensor y = Tensor.uninitialized(n, c, h, w); // a permutation of every element
        if (x.offset() != 0) {
            x = x.copy();
        }
        ChannelsLast.toNchw(x.data(), new ChannelsLast.Layout(n, c, h, w, c, 0, 0, h, w), y.data(), 0, null, 0);
        return y;
    }
}
