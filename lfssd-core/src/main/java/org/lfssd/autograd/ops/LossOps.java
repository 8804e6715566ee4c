package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Losses: cross-entropy for training and the squared-norm family that LFSSD differentiates.
 *
 * <p>Per-row work runs in parallel over blocks of rows sized by the problem; batch means combine the
 * per-row values afterwards in row order (in double), so results do not depend on the thread count.
 */
public final class LossOps {
    private LossOps() {}

    /**
     * Mean over the batch of {@code -log_softmax(logits_i)[labels_i]} for {@code [B, C]} logits, a scalar.
     * Saves only each row's maximum and log-sum-exp; the gradient {@code (softmax - onehot) / B} is
     * recomputed from the logits.
     *
     * @param logits {@code [B, C]}
     * @param labels B class indices in {@code [0, C)}
     * @return a scalar
     */
    public static Var crossEntropy(Var logits, int[] labels) {
        return crossEntropy(logits, labels, logits.dim() == 2 ? logits.size(0) : -1);
    }

    /**
     * These rows' share of the cross-entropy's mean over a batch of {@code batchSize} rows:
     * {@code (1/batchSize) Σ_i CE(logits_i, labels_i)}, a scalar. The shares of a batch's shards (contiguous
     * row ranges) add up to the batch mean; with {@code batchSize} equal to the row count it is
     * {@link #crossEntropy(Var, int[])}, bit for bit.
     *
     * @param logits    {@code [B, C]}, B ≤ batchSize
     * @param labels    B class indices in {@code [0, C)}
     * @param batchSize the size of the whole batch, the mean's denominator
     * @return a scalar
     */
    public static Var crossEntropy(Var logits, int[] labels, int batchSize) {
        int[] s = logits.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [B, C], got " + Shapes.str(s));
        }
        int rows = s[0];
        int classes = s[1];
        if (labels == null || labels.length != rows) {
            throw new IllegalArgumentException("crossEntropy: " + (labels == null ? "no" : labels.length)
                    + " labels for logits " + Shapes.str(s));
        }
        if (rows == 0) {
            throw new IllegalArgumentException("crossEntropy: the mean over an empty batch is undefined (logits "
                    + Shapes.str(s) + ")");
        }
        checkShareOfBatch("crossEntropy", rows, batchSize, s);
        int[] y = labels.clone(); // the caller may reuse its array before backward runs
        for (int i = 0; i < rows; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("crossEntropy: labels[" + i + "] = " + y[i]
                        + " is out of range for " + classes + " classes (logits " + Shapes.str(s) + ")");
            }
        }
        Tensor lv = logits.value();
        float[] ld = lv.data();
        int lOff = lv.offset();
        float[] max = new float[rows];
        float[] logSum = new float[rows];
        float[] rowLoss = new float[rows];
        Parallel.forRows(rows, classes, (start, end) -> {
            KernelProvider k = Kernels.provider();
            float[] shifted = new float[classes];
            for (int r = start; r < end; r++) {
                int off = lOff + r * classes;
                max[r] = k.max(ld, off, classes);
                k.addScalar(-max[r], ld, off, shifted, 0, classes);
                float label = shifted[y[r]];
                k.map(UnaryOp.EXP, shifted, 0, shifted, 0, classes);
                logSum[r] = (float) Math.log(k.sum(shifted, 0, classes));
                // -log p = log(sum exp(x - max)) - (x_label - max): both terms are small, so nothing cancels.
                rowLoss[r] = logSum[r] - label;
            }
        });
        Tensor loss = Tensor.full((float) (sumInOrder(rowLoss) / batchSize));

        return Var.fromOp("crossEntropy", loss, g -> {
            float scale = g.item() / batchSize;
            Tensor dl = Tensor.zeros(s);
            float[] dd = dl.data();
            Parallel.forRows(rows, classes, (start, end) -> {
                KernelProvider k = Kernels.provider();
                for (int r = start; r < end; r++) {
                    int off = r * classes;
                    k.addScalar(-max[r], ld, lOff + off, dd, off, classes);
                    k.addScalar(-logSum[r], dd, off, dd, off, classes);
                    k.map(UnaryOp.EXP, dd, off, dd, off, classes);
                    dd[off + y[r]] -= 1f;
                    k.scale(scale, dd, off, dd, off, classes);
                }
            });
            return new Tensor[] {dl};
        }, logits);
    }

    /**
     * Per-row squared L2 norm: {@code [B, ...] -> [B]}.
     *
     * @param x the input
     * @return {@code [B]}
     */
    public static Var squaredNorm(Var x) {
        Tensor xv = x.value();
        int rows = batchSize("squaredNorm", xv);
        int rowLen = rowLength(xv);
        Tensor out = Tensor.zeros(rows);
        rowSumSquares(xv, rows, rowLen, out.data());
        return Var.fromOp("squaredNorm", out, g -> {
            // d||x_i||² / dx_i = 2 x_i, weighted by the row's incoming gradient.
            Tensor dx = Tensor.zeros(xv.shape());
            float[] gd = g.data();
            int gOff = g.offset();
            Parallel.forRows(rows, rowLen, (start, end) -> {
                for (int r = start; r < end; r++) {
                    Kernels.provider().scale(2f * gd[gOff + r], xv.data(), xv.offset() + r * rowLen,
                            dx.data(), r * rowLen, rowLen);
                }
            });
            return new Tensor[] {dx};
        }, x);
    }

    /**
     * The LFSSD loss {@code (1/B) sum_i ||x_i||²} of a {@code [B, ...]} tensor, a scalar.
     *
     * @param x the input, usually logits {@code [B, C]}
     * @return a scalar
     */
    public static Var meanSquaredNorm(Var x) {
        return meanSquaredNorm(x, x.dim() >= 1 ? x.size(0) : -1);
    }

    /**
     * These rows' share of the LFSSD loss of a batch of {@code batchSize} rows:
     * {@code (1/batchSize) Σ_i ||x_i||²}, a scalar. The shares of a batch's shards (contiguous row ranges) add
     * up to the batch mean; with {@code batchSize} equal to the row count it is {@link #meanSquaredNorm(Var)},
     * bit for bit.
     *
     * @param x         the input {@code [B, ...]}, B ≤ batchSize
     * @param batchSize the size of the whole batch, the mean's denominator
     * @return a scalar
     */
    public static Var meanSquaredNorm(Var x, int batchSize) {
        Tensor xv = x.value();
        int rows = batchSize("meanSquaredNorm", xv);
        if (rows == 0) {
            throw new IllegalArgumentException("meanSquaredNorm: the mean over an empty batch is undefined (shape "
                    + Shapes.str(xv.shape()) + ")");
        }
        checkShareOfBatch("meanSquaredNorm", rows, batchSize, xv.shape());
        int rowLen = rowLength(xv);
        float[] perRow = new float[rows];
        rowSumSquares(xv, rows, rowLen, perRow);
        Tensor loss = Tensor.full((float) (sumInOrder(perRow) / batchSize));
        return Var.fromOp("meanSquaredNorm", loss, g -> {
            Tensor dx = Tensor.uninitialized(xv.shape()); // every element scaled into it
            float factor = 2f * g.item() / batchSize;
            Parallel.forRows(xv.numel(), 1, (start, end) -> Kernels.provider().scale(factor,
                    xv.data(), xv.offset() + start, dx.data(), start, end - start));
            return new Tensor[] {dx};
        }, x);
    }

    // ------------------------------------------------------------------ helpers

    /** A shard's rows must be part of the batch whose mean they share in. */
    private static void checkShareOfBatch(String op, int rows, int batchSize, int[] shape) {
        if (batchSize < rows) {
            throw new IllegalArgumentException(op + ": batch size " + batchSize + " is smaller than the " + rows
                    + " rows given (shape " + Shapes.str(shape) + "); a shard's rows are part of the batch");
        }
    }

    private static int batchSize(String op, Tensor x) {
        if (x.dim() < 1) {
            throw new IllegalArgumentException(op + ": needs a batch dimension [B, ...], got shape "
                    + Shapes.str(x.shape()));
        }
        return x.size(0);
    }

    private static int rowLength(Tensor x) {
        int len = 1;
        for (int i = 1; i < x.dim(); i++) {
            len *= x.size(i);
        }
        return len;
    }

    private static void rowSumSquares(Tensor x, int rows, int rowLen, float[] out) {
        float[] xd = x.data();
        int off = x.offset();
        Parallel.forRows(rows, rowLen, (start, end) -> {
            for (int r = start; r < end; r++) {
                out[r] = Kernels.provider().sumSquares(xd, off + r * rowLen, rowLen);
            }
        });
    }

    /** Sums in index order, in double, so a batch mean does not depend on how rows were split. */
    private static double sumInOrder(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
