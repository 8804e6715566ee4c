package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Tensor;

/** The activation functions, on the kernel provider's {@link UnaryOp#RELU} and {@link UnaryOp#GELU} loops. */
public final class ActivationOps {
    private ActivationOps() {}

    /**
     * {@code max(x, 0)}. Backward keeps the output rather than the input or a mask: {@code out > 0}
     * exactly when {@code x > 0}, so the kernel's RELU derivative evaluated at the output is the same
     * mask, and the output is usually kept alive anyway as the next layer's saved input, so this costs
     * no memory of its own.
     *
     * @param x the input
     * @return {@code max(x, 0)}
     */
    public static Var relu(Var x) {
        Tensor out = Chunked.map(UnaryOp.RELU, x.value());
        return Var.fromOp("relu", out, g -> new Tensor[] {Chunked.mapBackward(UnaryOp.RELU, out, g)}, x);
    }

    /**
     * GELU in the exact form {@code x·Φ(x)} (PyTorch's {@code approximate='none'}); backward keeps the input.
     *
     * @param x the input
     * @return GELU(x)
     */
    public static Var gelu(Var x) {
        Tensor in = x.value();
        return Var.fromOp("gelu", Chunked.map(UnaryOp.GELU, in), g -> new Tensor[] {Chunked.mapBackward(UnaryOp.GELU, in, g)}, x);
    }
}
