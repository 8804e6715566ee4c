package org.lfssd.autograd.ops;

import org.lfssd.autograd.BackwardFn;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.kernels.Workspace;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Matrix products: {@link #matmul} (2-D and batched), {@link #linear} (a fully connected layer) and
 * {@link #linearGelu} (a fully connected layer with its GELU fused in).
 *
 * <p>Everything runs on {@link Kernels#gemm()}. Backward reads the stored operands through the GEMM's
 * transpose flags, so no transposed copy is ever made. Products with a Linear weight go through
 * {@link WeightProducts}, which reuses the weight's packed form within a
 * {@link org.lfssd.autograd.FrozenParameters} scope. Determinism comes from the GEMM contract (each
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
        Tensor c = Tensor.uninitialized(outShape); // every element written (beta = 0)
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
                da = Tensor.uninitialized(as);
                gemmEach(batch, false, true, m, k, n,
                        g.data(), g.offset(), m * n, n,
                        savedB.data(), savedB.offset(), k * n, n,
                        da.data(), m * k, k);
            }
            if (needB) {
                // dB = Aᵀ · dC: A is stored [m,k], read transposed.
                db = Tensor.uninitialized(bs);
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
        checkLinearShapes("linear", xs, ws, b);
        int out = ws[0];
        int in = ws[1];
        int rows = leadingCount(xs, xs.length - 1);
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;

        Tensor xv = x.value();
        Tensor wv = w.value();
        Tensor y = Tensor.uninitialized(ys); // written by the bias seeding or the product (beta = 0)
        float[] yd = y.data();
        float beta = 0f;
        if (b != null) {
            // Seed every row with the bias and let the GEMM add the product onto it (beta = 1). Over row
            // blocks in parallel: on one thread this copy of the whole output was serial work next to the
            // two-thread GEMM.
            Tensor bv = b.value();
            float[] bd = bv.data();
            int bo = bv.offset();
            Parallel.forRows(rows, out, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(bd, bo, yd, r * out, out);
                }
            });
            beta = 1f;
        }
        WeightProducts.timesTransposed(rows, xv.data(), xv.offset(), wv, beta, yd, null);

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
                dx = Tensor.uninitialized(xs);
                WeightProducts.times(rows, g.data(), g.offset(), savedW, dx.data());
            }
            if (needW) {
                // dW = dyᵀ · x: one GEMM whose k-sum runs over all rows in a fixed order.
                dw = Tensor.uninitialized(ws);
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

    /**
     * {@code gelu(x·Wᵀ + b)} (exact erf GELU) as one op: the bias add and the GELU run in the GEMM's
     * epilogue on each block of the product while it is still in cache, instead of two more sweeps over
     * the whole output. Backward makes {@code dz = g·gelu'(z)} over row chunks and the bias gradient from it,
     * then {@code dx = dz·W} and {@code dW = dzᵀ·x}; {@code dz} lives in a
     * per-thread {@link Workspace} buffer reused from call to call, not in a fresh tensor. Saved for
     * backward: the pre-activation {@code z} (which the unfused {@code gelu} kept too), {@code x} if
     * {@code w} needs a gradient and {@code w} if {@code x} does.
     *
     * <p>With the pure-Java GEMMs and {@code in <= 256} the output and gradients are bit-identical to
     * {@code gelu(linear(x, w, b))}; with more in-features (several k slices), or with jblas, the bias
     * is added after the whole product rather than before it, which may differ in the last bit.
     *
     * @param x the input {@code [..., in]}
     * @param w the weight {@code [out, in]}
     * @param b the bias {@code [out]}, or null
     * @return {@code [..., out]}
     * @throws IllegalArgumentException if the shapes do not fit, naming the op and the shapes
     */
    public static Var linearGelu(Var x, Var w, Var b) {
        int[] xs = x.shape();
        int[] ws = w.shape();
        checkLinearShapes("linearGelu", xs, ws, b);
        int out = ws[0];
        int in = ws[1];
        int rows = leadingCount(xs, xs.length - 1);
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;

        Tensor xv = x.value();
        Tensor wv = w.value();
        Tensor z = Tensor.uninitialized(ys); // the product (beta = 0), then its epilogue writes h
        Tensor h = Tensor.uninitialized(ys);
        float[] zd = z.data();
        biasGeluProduct(xv, wv, b == null ? null : b.value(), rows, in, out, zd, h.data());

        boolean needX = x.requiresGrad();
        boolean needW = w.requiresGrad();
        boolean needB = b != null && b.requiresGrad();
        Tensor savedX = needW ? xv : null;
        Tensor savedW = needX ? wv : null;
        BackwardFn backward = g -> {
            float[] dz = Workspace.get(Workspace.Slot.LINEAR_ACTIVATION_GRAD, rows * out);
            Tensor db = needB ? Tensor.zeros(out) : null;
            geluGradAndColumnSums(zd, g.data(), g.offset(), dz, db == null ? null : db.data(), rows, out);
            Tensor dx = null;
            Tensor dw = null;
            if (needX) {
                dx = Tensor.uninitialized(xs);
                WeightProducts.times(rows, dz, 0, savedW, dx.data());
            }
            if (needW) {
                dw = Tensor.uninitialized(ws);
                Kernels.gemm().sgemm(true, false, out, in, rows, 1f,
                        dz, 0, out,
                        savedX.data(), savedX.offset(), in,
                        0f, dw.data(), 0, in);
            }
            return new Tensor[] {dx, dw, db};
        };
        return Var.fromOp("linearGelu", h, backward, x, w, b);
    }

    /**
     * {@code z = x·Wᵀ + b} and {@code h = gelu(z)} into fresh (zero-offset) {@code [rows, out]} arrays, the
     * bias add and the GELU in the GEMM's epilogue, block by block while the block is in cache.
     */
    static void biasGeluProduct(Tensor x, Tensor w, Tensor b, int rows, int in, int out, float[] z, float[] h) {
        float[] bd = b == null ? null : b.data();
        int bo = b == null ? 0 : b.offset();
        WeightProducts.timesTransposed(rows, x.data(), x.offset(), w, 0f, z, (r0, r1, c0, c1) -> {
            KernelProvider ops = Kernels.provider();
            for (int r = r0; r < r1; r++) {
                int at = r * out + c0;
                if (bd != null) {
                    ops.add(z, at, bd, bo + c0, z, at, c1 - c0);
                }
                ops.map(UnaryOp.GELU, z, at, h, at, c1 - c0);
            }
        });
    }

    /**
     * {@code dz = g * gelu'(z)} over a {@code [rows, cols]} matrix, then, if {@code sums} is not null, the
     * column sums of {@code dz} into it exactly as {@link #columnSums} makes them. The derivative runs over
     * contiguous chunks of whole rows: a first version that walked column blocks across all rows, to add
     * each segment to the sums while it was in L1, measured slower for a whole ViT-Tiny 224 step (strided
     * reads of two large arrays; lfssd-bench/results/vit-importance-2026-12-01b.md).
     */
    static void geluGradAndColumnSums(float[] z, float[] g, int gOff, float[] dz, float[] sums, int rows, int cols) {
        Parallel.forRows(rows, cols, (r0, r1) -> Kernels.provider().mapBackward(UnaryOp.GELU,
                z, r0 * cols, g, gOff + r0 * cols, dz, r0 * cols, (r1 - r0) * cols));
        if (sums != null) {
            columnSums(dz, 0, rows, cols, sums);
        }
    }


    /** Checks a Linear's input, weight and bias shapes, naming {@code op} and the shapes in the error. */
    static void checkLinearShapes(String op, int[] xs, int[] ws, Var b) {
        if (ws.length != 2) {
            throw new IllegalArgumentException(op + ": weight must be [out, in], got " + Shapes.str(ws));
        }
        int out = ws[0];
        int in = ws[1];
        if (xs.length < 1 || xs[xs.length - 1] != in) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(xs) + " must end in the weight's "
                    + in + " in-features (weight " + Shapes.str(ws) + ")");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != out)) {
            throw new IllegalArgumentException(op + ": bias must be [" + out + "] for weight " + Shapes.str(ws)
                    + ", got " + Shapes.str(b.shape()));
        }
    }

    /** Product of {@code shape[0..count)} (1 for none). */
    static int leadingCount(int[] shape, int count) {
        long p = 1;
        for (int i = 0; i < count; i++) {
            p *= shape[i];
        }
        return (int) p;
    }

    /**
     * The most columns per task of {@link #columnSums}. 64 made each row twelve kernel calls for a 768-wide
     * layer, and the call overhead doubled the bias gradient's share of a one-thread ViT-Tiny profile (1.6 %
     * to 3.0 % of samples); 256 keeps three tasks for the 576- and 768-wide layers.
     */
    private static final int SUM_COLUMNS = 256;
    /** The fewest columns per task of {@link #columnSums}, so that each kernel call has some length. */
    private static final int MIN_SUM_COLUMNS = 64;
    /** Tasks {@link #columnSums} aims at where the columns allow, so that two threads share it evenly. */
    private static final int SUM_TASKS = 4;

    /**
     * Columns per task of {@link #columnSums}: about a quarter of the columns, between
     * {@value #MIN_SUM_COLUMNS} and {@value #SUM_COLUMNS}, a multiple of 16. (With a fixed 256 the
     * 192-wide layers of ViT-Tiny summed on one thread.) The block width changes only which task adds a
     * column, never the order in which its rows are added.
     */
    static int sumColumns(int cols) {
        int quarter = (cols + SUM_TASKS - 1) / SUM_TASKS;
        return Math.max(MIN_SUM_COLUMNS, Math.min(SUM_COLUMNS, (quarter + 15) / 16 * 16));
    }

    /**
     * Sum over the rows of a {@code [rows, cols]} matrix, adding rows in ascending order. Tasks own
     * blocks of columns (a cut by size alone), each walking all rows, so every element is summed in the
     * same order on any number of threads; the bias gradient of a wide layer no longer runs on one thread.
     */
    static Tensor columnSums(Tensor g, int rows, int cols) {
        Tensor s = Tensor.zeros(cols);
        columnSums(g.data(), g.offset(), rows, cols, s.data());
        return s;
    }

    /** {@link #columnSums(Tensor, int, int)} of the matrix at {@code gd[go...]}, added into {@code sd}. */
    private static void columnSums(float[] gd, int go, int rows, int cols, float[] sd) {
        Parallel.forRange(cols, sumColumns(cols), (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                Kernels.provider().axpy(1f, gd, go + r * cols + c0, sd, c0, c1 - c0);
            }
        });
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
