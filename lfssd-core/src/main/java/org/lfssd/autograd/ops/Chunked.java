package org.lfssd.autograd.ops;

import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Elementwise kernels over whole tensors, cut into fixed chunks of {@link #GRAIN} elements that run in
 * parallel. Every output element depends on input elements at the same index only, so the cut never
 * changes a result, and it depends on the size alone (the determinism rule of {@link Parallel}).
 * Each method allocates its output, except the {@code InPlace} ones.
 */
public final class Chunked {
    private Chunked() {}

    /** Elements per task: large enough to amortise scheduling, small enough to split a 4M activation well. */
    public static final int GRAIN = 1 << 15;

    /** One chunk of a one-input elementwise kernel: {@code n} elements from {@code x[xOff..]} into {@code out[outOff..]}. */
    @FunctionalInterface
    private interface UnaryChunk {
        void run(float[] x, int xOff, float[] out, int outOff, int n);
    }

    /** A fresh tensor of {@code x}'s shape filled chunk by chunk by {@code kernel}. */
    private static Tensor unary(Tensor x, UnaryChunk kernel) {
        Tensor out = Tensor.uninitialized(x.shape());
        float[] xd = x.data();
        float[] od = out.data();
        int xo = x.offset();
        Parallel.forRange(x.numel(), GRAIN, (s, e) -> kernel.run(xd, xo + s, od, s, e - s));
        return out;
    }

    /**
     * {@code op(x)} elementwise.
     *
     * @param op the function
     * @param x  the input
     * @return a new tensor
     */
    public static Tensor map(UnaryOp op, Tensor x) {
        return unary(x, (xd, xo, od, oo, n) -> Kernels.provider().map(op, xd, xo, od, oo, n));
    }

    /**
     * {@code g * op'(x)} elementwise; {@code x} and {@code g} must have the same shape.
     *
     * @param op the function
     * @param x  the forward input
     * @param g  the gradient of the output
     * @return the gradient of the input
     */
    public static Tensor mapBackward(UnaryOp op, Tensor x, Tensor g) {
        Shapes.requireSame("mapBackward(" + op + ")", x.shape(), g.shape());
        Tensor out = Tensor.uninitialized(x.shape());
        float[] xd = x.data();
        float[] gd = g.data();
        float[] od = out.data();
        int xo = x.offset();
        int go = g.offset();
        Parallel.forRange(x.numel(), GRAIN, (s, e) -> Kernels.provider().mapBackward(op, xd, xo + s, gd, go + s, od, s, e - s));
        return out;
    }

    /**
     * {@code a (op) b} elementwise for two tensors of the same shape.
     *
     * @param op the operation
     * @param a  left operand
     * @param b  right operand
     * @return a new tensor
     */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Shapes.requireSame(op.opName(), a.shape(), b.shape());
        Tensor out = Tensor.uninitialized(a.shape());
        float[] ad = a.data();
        float[] bd = b.data();
        float[] od = out.data();
        int ao = a.offset();
        int bo = b.offset();
        Parallel.forRange(a.numel(), GRAIN, (s, e) -> op.rows(Kernels.provider(), ad, ao + s, bd, bo + s, od, s, e - s));
        return out;
    }

    /**
     * {@code alpha * x}.
     *
     * @param alpha the factor
     * @param x     the input
     * @return a new tensor
     */
    public static Tensor scale(float alpha, Tensor x) {
        return unary(x, (xd, xo, od, oo, n) -> Kernels.provider().scale(alpha, xd, xo, od, oo, n));
    }

    /**
     * {@code x + s}.
     *
     * @param s the scalar
     * @param x the input
     * @return a new tensor
     */
    public static Tensor addScalar(float s, Tensor x) {
        return unary(x, (xd, xo, od, oo, n) -> Kernels.provider().addScalar(s, xd, xo, od, oo, n));
    }

    /**
     * {@code x / d}, a true division (not a multiplication by {@code 1/d}) so that means match PyTorch's
     * {@code sum / count} to the last bit.
     *
     * @param x the dividend
     * @param d the divisor
     * @return a new tensor
     */
    public static Tensor divScalar(Tensor x, float d) {
        return unary(x, (xd, xo, od, oo, n) -> {
            for (int i = 0; i < n; i++) {
                od[oo + i] = xd[xo + i] / d;
            }
        });
    }

    /**
     * The sum of {@code n} contiguous floats: fixed chunks of {@link #GRAIN} summed by the kernel
     * provider in parallel, then the per-chunk partials added in chunk order in double.
     *
     * @param x   the array
     * @param off the first element
     * @param n   the element count
     * @return the sum, rounded to float once
     */
    public static float sum(float[] x, int off, int n) {
        if (n <= GRAIN) {
            return Kernels.provider().sum(x, off, n);
        }
        int chunks = (n + GRAIN - 1) / GRAIN;
        float[] partial = new float[chunks];
        KernelProvider ops = Kernels.provider();
        Parallel.forEach(chunks, c -> {
            int s = c * GRAIN;
            partial[c] = ops.sum(x, off + s, Math.min(n, s + GRAIN) - s);
        });
        double total = 0;
        for (float p : partial) {
            total += p;
        }
        return (float) total;
    }
}
