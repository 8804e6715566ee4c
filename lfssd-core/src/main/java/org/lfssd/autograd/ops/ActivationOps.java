package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Tensor;

/** The activation functions: ReLU on the kernel provider's {@link UnaryOp#RELU} loop, GELU on {@link GeluMath}. */
public final class ActivationOps {
    private ActivationOps() {}

    /**
     * {@code max(x, 0)}. Backward keeps the output rather than the input or a mask: {@code out > 0}
     * exactly when {@code x > 0}, so the kernel's RELU derivative evaluated at the output is the same
     * mask, and the output is usually kept alive anyway as the next layer's saved input, so this costs
     * no memory of its own.
     */
    public static Var relu(Var x) {
        Tensor out = Chunked.map(UnaryOp.RELU, x.value());
        return Var.fromOp("relu", out, g -> new Tensor[] {Chunked.mapBackward(UnaryOp.RELU, out, g)}, x);
    }

    /**
     * GELU in the exact form {@code x·Φ(x)} (PyTorch's {@code approximate='none'}), evaluated by
     * {@link GeluMath}'s SIMD-friendly loops; backward keeps the input.
     */
    public static Var gelu(Var x) {
        Tensor in = x.value();
        return Var.fromOp("gelu", geluForward(in), g -> new Tensor[] {geluBackward(in, g)}, x);
    }

    private static Tensor geluForward(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        float[] xd = x.data();
        float[] od = out.data();
        int xo = x.offset();
        Parallel.forRange(x.numel(), Chunked.GRAIN, (s, e) -> GeluMath.forward(xd, xo + s, od, s, e - s));
        return out;
    }

    private static Tensor geluBackward(Tensor x, Tensor g) {
        Tensor out = Tensor.zeros(x.shape());
        float[] xd = x.data();
        float[] gd = g.data();
        float[] od = out.data();
        int xo = x.offset();
        int go = g.offset();
        Parallel.forRange(x.numel(), Chunked.GRAIN, (s, e) -> GeluMath.backward(xd, xo + s, gd, go + s, od, s, e - s));
        return out;
    }
}
