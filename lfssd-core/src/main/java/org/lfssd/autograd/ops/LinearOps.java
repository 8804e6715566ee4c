package org.lfssd.autograd.ops;

import org.lfssd.autograd.BackwardFn;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Matrix products: {@link #matmul} (2-D and batched) and {@link #linear} (a fully connected layer).
 *
 * <p>Everything runs on {@link Kernels#gemm()}. Backward reads the stored operands through the GEMM's
 * transpose flags, so no transposed copy is ever made. Determinism comes from the GEMM contract (each
 * output element's k-sum in one fixed order) plus disjoint outputs per batch item.
 */
public final class LinearOps {
    private LinearOps() {}

    /**
     * {@code [m,k]·[k,n] -> [m,n]}, or batched {@code [...,m,k]·[...,k,n] -> [...,m,n]} with equal
     * leading dimensions (no broadcasting).
     *
     * @param a left matrix or batch of matrices
     * @param b right matrix or batch of matrices
     * @return the product
     */
    public static Var matmul(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        int rank = as.length;
        if (rank < 2 || bs.length != rank) {
            throw new IllegalArgumentException("matmul: needs two tensors of the same rank >= 2, got "
                    + Shapes.str(as) + " and " + Shapes.str(bs));
        }
        for (int i = 0; i < rank - 2; i++) {
            if (as[i] != bs[i]) {
                throw new IllegalArgumentException("matmul: leading (batch) dimensions differ: "
                        + Shapes.str(as) + " and " + Shapes.str(bs));
            }
        }
        int m = as[rank - 2];
        int k = as[rank - 1];
        int n = bs[rank - 1];
        if (bs[rank - 2] != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(as) + " · "
                    + Shapes.str(bs) + " (" + k + " vs " + bs[rank - 2] + ")");
        }
        int batch = leadingCount(as, rank - 2);
        int[] outShape = as.clone();
        outShape[rank - 1] = n;

        Tensor av = a.value();
        Tensor bv = b.value();
        Tensor c = Tensor.zeros(outShape);
        gemmEach(batch, false, false, m, n, k,
                av.data(), av.offset(), m * k, k,
                bv.data(), bv.offset(), k * n, n,
                c.data(), m * n, n);

        boolean needA = a.requiresGrad();
        boolean needB = b.requiresGrad();
        // Each gradient needs only the other operand; keep nothing we will not read.
        Tensor savedA = needB ? av : null;
        Tensor savedB = needA ? bv : null;
        BackwardFn backward = g -> {
            Tensor da = null;
            Tensor db = null;
            if (needA) {
                // dA = dC · Bᵀ: B is stored [k,n], read transposed.
                da = Tensor.zeros(as);
                gemmEach(batch, false, true, m, k, n,
                        g.data(), g.offset(), m * n, n,
                        savedB.data(), savedB.offset(), k * n, n,
                        da.data(), m * k, k);
            }
            if (needB) {
                // dB = Aᵀ · dC: A is stored [m,k], read transposed.
                db = Tensor.zeros(bs);
                gemmEach(batch, true, false, k, n, m,
                        savedA.data(), savedA.offset(), m * k, k,
                        g.data(), g.offset(), m * n, n,
                        db.data(), k * n, n);
            }
            return new Tensor[] {da, db};
        };
        return Var.fromOp("matmul", c, backward, a, b);
    }

    /**
     * {@code y = x·Wᵀ + b} over the last dimension of {@code x}: {@code x} is {@code [..., in]}, {@code w}
     * is {@code [out, in]}, {@code b} is {@code [out]} or null; {@code y} is {@code [..., out]}.
     * All rows go through one GEMM, forward and backward.
     *
     * @param x the input {@code [..., in]}
     * @param w the weight {@code [out, in]}
     * @param b the bias {@code [out]}, or null
     * @return {@code [..., out]}
     */
    public static Var linear(Var x, Var w, Var b) {
        int[] xs = x.shape();
        int[] ws = w.shape();
        if (ws.length != 2) {
            throw new IllegalArgumentException("linear: weight must be [out, in], got " + Shapes.str(ws));
        }
        int out = ws[0];
        int in = ws[1];
        if (xs.length < 1 || xs[xs.length - 1] != in) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(xs) + " must end in the weight's "
                    + in + " in-features (weight " + Shapes.str(ws) + ")");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != out)) {
            throw new IllegalArgumentException("linear: bias must be [" + out + "] for weight " + Shapes.str(ws)
                    + ", got " + Shapes.str(b.shape()));
        }
        int rows = leadingCount(xs, xs.length - 1);
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;

        Tensor xv = x.value();
        Tensor wv = w.value();
        Tensor y = Tensor.zeros(ys);
        float[] yd = y.data();
        float beta = 0f;
        if (b != null) {
            // Seed every row with the bias and let the GEMM add the product onto it (beta = 1).
            Tensor bv = b.value();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bv.data(), bv.offset(), yd, r * out, out);
            }
            beta = 1f;
        }
        Kernels.gemm().sgemm(false, true, rows, out, in, 1f,
                xv.data(), xv.offset(), in,
                wv.data(), wv.offset(), in,
                beta, yd, 0, out);

        boolean needX = x.requiresGrad();
        boolean needW = w.requiresGrad();
        boolean needB = b != null && b.requiresGrad();
        Tensor savedX = needW ? xv : null;
        Tensor savedW = needX ? wv : null;
        BackwardFn backward = g -> {
            Tensor dx = null;
            Tensor dw = null;
            Tensor db = null;
            if (needX) {
                // dx = dy · W, W stored [out, in].
                dx = Tensor.zeros(xs);
                Kernels.gemm().sgemm(false, false, rows, in, out, 1f,
                        g.data(), g.offset(), out,
                        savedW.data(), savedW.offset(), in,
                        0f, dx.data(), 0, in);
            }
            if (needW) {
                // dW = dyᵀ · x: one GEMM whose k-sum runs over all rows in a fixed order.
                dw = Tensor.zeros(ws);
                Kernels.gemm().sgemm(true, false, out, in, rows, 1f,
                        g.data(), g.offset(), out,
                        savedX.data(), savedX.offset(), in,
                        0f, dw.data(), 0, in);
            }
            if (needB) {
                db = columnSums(g, rows, out);
            }
            return new Tensor[] {dx, dw, db};
        };
        return Var.fromOp("linear", y, backward, x, w, b);
    }

    /** Product of {@code shape[0..count)} (1 for none). */
    private static int leadingCount(int[] shape, int count) {
        long p = 1;
        for (int i = 0; i < count; i++) {
            p *= shape[i];
        }
        return (int) p;
    }

    /**
     * Columns per task of {@link #columnSums}. 64 made each row twelve kernel calls for a 768-wide layer,
     * and the call overhead doubled the bias gradient's share of a one-thread ViT-Tiny profile (1.6 % to
     * 3.0 % of samples); 256 keeps three tasks for the 576- and 768-wide layers.
     */
    private static final int SUM_COLUMNS = 256;

    /**
     * Sum over the rows of a {@code [rows, cols]} matrix, adding rows in ascending order. Tasks own
     * blocks of columns (a cut by size alone), each walking all rows, so every element is summed in the
     * same order on any number of threads; the bias gradient of a wide layer no longer runs on one thread.
     */
    private static Tensor columnSums(Tensor g, int rows, int cols) {
        Tensor s = Tensor.zeros(cols);
        float[] gd = g.data();
        int go = g.offset();
        float[] sd = s.data();
        Parallel.forRange(cols, SUM_COLUMNS, (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                Kernels.provider().axpy(1f, gd, go + r * cols + c0, sd, c0, c1 - c0);
            }
        });
        return s;
    }

    /**
     * {@code batch} independent GEMMs {@code C_i = op(A_i)·op(B_i)} at fixed strides, into a fresh (zero
     * offset) C. A single product goes straight to the GEMM, which may split it itself; several run one
     * per pool task (the GEMM's own parallel calls then run inline on that worker).
     */
    private static void gemmEach(int batch, boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, int aStride, int lda,
                                 float[] b, int bOff, int bStride, int ldb,
                                 float[] c, int cStride, int ldc) {
        if (batch == 1) {
            Kernels.gemm().sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, 0, ldc);
            return;
        }
        Parallel.forEach(batch, i -> Kernels.gemm().sgemm(transA, transB, m, n, k, 1f,
                a, aOff + i * aStride, lda,
                b, bOff + i * bStride, ldb,
                0f, c, i * cStride, ldc));
    }
}
