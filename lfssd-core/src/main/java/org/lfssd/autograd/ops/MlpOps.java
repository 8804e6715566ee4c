package org.lfssd.autograd.ops;

import org.lfssd.autograd.BackwardFn;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.kernels.Workspace;
import org.lfssd.tensor.Tensor;

/**
 * The transformer MLP {@code fc2(gelu(fc1(x)))} as one op, so that its widest activation, the GELU
 * output {@code h} ({@code [..., hidden]}, four times the token width in ViT), is never kept for
 * backward: forward writes {@code h} into a per-thread {@link Workspace} buffer, uses it for fc2's
 * product and drops it; backward recomputes it from the saved pre-activation {@code z} (one GELU pass,
 * elementwise, so bit-identical) into the same buffer, takes fc2's weight gradient from it, and then
 * overwrites it with {@code dh} and {@code dz} in place. What is saved: {@code z}, plus {@code x} and the
 * two weights where a gradient needs them, against {@code z} and {@code h} for the composition of
 * {@link LinearOps#linearGelu} and {@link LinearOps#linear}: one {@code [rows, hidden]} activation less
 * held from forward to backward, at the price of one more GELU pass over it in backward.
 *
 * <p>Values and gradients are bit-identical to {@code linear(linearGelu(x, w1, b1), w2, b2)}: the same
 * GEMM calls, epilogue and column sums run in the same order. Threads: the GEMMs split their own work,
 * the GELU recomputation runs over fixed row blocks, and the bias sums over fixed column blocks, so
 * results do not depend on the thread count.
 */
public final class MlpOps {
    private MlpOps() {}

    /** Rows per task of the GELU recomputation in backward; a size-only cut. */
    private static final int RECOMPUTE_ROWS = 64;

    /**
     * {@code gelu(x·W1ᵀ + b1)·W2ᵀ + b2} over the last dimension of {@code x} (exact erf GELU).
     *
     * @param x  the input {@code [..., in]}
     * @param w1 fc1's weight {@code [hidden, in]}
     * @param b1 fc1's bias {@code [hidden]}, or null
     * @param w2 fc2's weight {@code [out, hidden]}
     * @param b2 fc2's bias {@code [out]}, or null
     * @return {@code [..., out]}
     * @throws IllegalArgumentException if the shapes do not fit, naming the op, the layer and the shapes
     */
    public static Var mlp(Var x, Var w1, Var b1, Var w2, Var b2) {
        int[] xs = x.shape();
        int[] w1s = w1.shape();
        int[] w2s = w2.shape();
        LinearOps.checkLinearShapes("mlp (fc1)", xs, w1s, b1);
        int hidden = w1s[0];
        int in = w1s[1];
        int[] hs = xs.clone();
        hs[hs.length - 1] = hidden;
        LinearOps.checkLinearShapes("mlp (fc2)", hs, w2s, b2);
        int out = w2s[0];
        int rows = LinearOps.leadingCount(xs, xs.length - 1);
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;

        Tensor xv = x.value();
        Tensor w1v = w1.value();
        Tensor w2v = w2.value();
        Tensor z = Tensor.uninitialized(hs); // the product (beta = 0)
        float[] zd = z.data();
        float[] h = Workspace.get(Workspace.Slot.MLP_HIDDEN, rows * hidden);
        LinearOps.biasGeluProduct(xv, w1v, b1 == null ? null : b1.value(), rows, in, hidden, zd, h);
        Tensor y = Tensor.uninitialized(ys); // written by the bias seeding or the product (beta = 0)
        float[] yd = y.data();
        float beta = 0f;
        if (b2 != null) {
            // as LinearOps.linear: seed each row with the bias and let the GEMM add the product (beta = 1)
            Tensor bv = b2.value();
            Parallel.forRows(rows, out, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(bv.data(), bv.offset(), yd, r * out, out);
                }
            });
            beta = 1f;
        }
        WeightProducts.timesTransposed(rows, h, 0, w2v, beta, yd, null);

        boolean needX = x.requiresGrad();
        boolean needW1 = w1.requiresGrad();
        boolean needB1 = b1 != null && b1.requiresGrad();
        boolean needW2 = w2.requiresGrad();
        boolean needB2 = b2 != null && b2.requiresGrad();
        boolean needDh = needX || needW1 || needB1;
        Tensor savedX = needW1 ? xv : null;
        Tensor savedW1 = needX ? w1v : null;
        Tensor savedW2 = needDh ? w2v : null;
        BackwardFn backward = g -> {
            float[] gd = g.data();
            int go = g.offset();
            float[] hb = Workspace.get(Workspace.Slot.MLP_HIDDEN, rows * hidden);
            Tensor dw2 = null;
            if (needW2) {
                // h again, from z: the same elementwise GELU as forward, so the same bits
                Parallel.forRange(rows, RECOMPUTE_ROWS, (r0, r1) ->
                        Kernels.provider().map(UnaryOp.GELU, zd, r0 * hidden, hb, r0 * hidden, (r1 - r0) * hidden));
                dw2 = Tensor.uninitialized(w2s);
                Kernels.gemm().sgemm(true, false, out, hidden, rows, 1f,
                        gd, go, out,
                        hb, 0, hidden,
                        0f, dw2.data(), 0, hidden);
            }
            Tensor db2 = needB2 ? LinearOps.columnSums(g, rows, out) : null;
            Tensor dx = null;
            Tensor dw1 = null;
            Tensor db1 = null;
            if (needDh) {
                // dh = g·W2 over h's buffer (h is no longer needed), then dz = dh * gelu'(z) in place
                WeightProducts.times(rows, gd, go, savedW2, hb);
                db1 = needB1 ? Tensor.zeros(hidden) : null;
                LinearOps.geluGradAndColumnSums(zd, hb, 0, hb, db1 == null ? null : db1.data(), rows, hidden);
                if (needX) {
                    dx = Tensor.uninitialized(xs);
                    WeightProducts.times(rows, hb, 0, savedW1, dx.data());
                }
                if (needW1) {
                    dw1 = Tensor.uninitialized(w1s);
                    Kernels.gemm().sgemm(true, false, hidden, in, rows, 1f,
                            hb, 0, hidden,
                            savedX.data(), savedX.offset(), in,
                            0f, dw1.data(), 0, in);
                }
            }
            return new Tensor[] {dx, dw1, db1, dw2, db2};
        };
        return Var.fromOp("mlp", y, backward, x, w1, b1, w2, b2);
    }
}
