package org.lfssd.autograd.ops;

import java.util.Arrays;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * {@code softmax} and {@code logSoftmax} along any dimension, numerically stable (the maximum is
 * subtracted before exponentiating). Backward works from the saved output only.
 *
 * <p>A tensor is seen as {@code [outer, size, inner]} around the reduced dimension. The last dimension
 * ({@code inner == 1}) is the fast path: each row is contiguous and goes through whole-row kernel calls.
 * Otherwise each {@code [size, inner]} slab is processed as {@code size} contiguous rows of length
 * {@code inner} that are combined lane-wise, so the kernels still run over contiguous memory.
 * Work is split over rows or slabs only, in blocks sized by the problem, so results do not depend on
 * the thread count.
 */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    /**
     * {@code exp(x - max) / sum(exp(x - max))} along {@code dim}.
     *
     * @param x   the input
     * @param dim the dimension
     * @return the probabilities
     */
    public static Var softmax(Var x, int dim) {
        return apply("softmax", x, dim, false);
    }

    /**
     * {@code x - max - log(sum(exp(x - max)))} along {@code dim}.
     *
     * @param x   the input
     * @param dim the dimension
     * @return the log-probabilities
     */
    public static Var logSoftmax(Var x, int dim) {
        return apply("logSoftmax", x, dim, true);
    }

    private static Var apply(String op, Var x, int dim, boolean log) {
        Tensor xv = x.value();
        Layout l = Layout.of(op, xv.shape(), dim);
        Tensor y = Tensor.zeros(xv.shape());
        if (y.numel() > 0) { // an empty slab has no first row to seed its maxima from
            forward(xv, y, l, log);
        }
        // y is the op's own output, alive as long as the result is: saving it costs nothing extra.
        return Var.fromOp(op, y, g -> new Tensor[] {backward(y, g, l, log)}, x);
    }

    private static void forward(Tensor xv, Tensor y, Layout l, boolean log) {
        float[] xd = xv.data();
        int xOff = xv.offset();
        float[] yd = y.data();
        if (l.inner == 1) {
            Parallel.forRows(l.outer, l.size, (start, end) -> {
                float[] scratch = log ? new float[l.size] : null;
                for (int r = start; r < end; r++) {
                    if (log) {
                        logSoftmaxRow(xd, xOff + r * l.size, yd, r * l.size, l.size, scratch);
                    } else {
                        softmaxRow(xd, xOff + r * l.size, yd, r * l.size, l.size);
                    }
                }
            });
        } else {
            Parallel.forRows(l.outer, l.slab(), (start, end) -> {
                float[] max = new float[l.inner];
                float[] sum = new float[l.inner];
                for (int o = start; o < end; o++) {
                    slabForward(xd, xOff + o * l.slab(), yd, o * l.slab(), l, max, sum, log);
                }
            });
        }
    }

    // ------------------------------------------------------------------ rows (the last dimension)

    /** Softmax of one contiguous row; {@code out} may be {@code x} itself. Shared with attention. */
    static void softmaxRow(float[] x, int xOff, float[] out, int outOff, int n) {
        KernelProvider k = Kernels.provider();
        float max = k.max(x, xOff, n);
        // One fused pass for exp and its sum, then one to scale: three passes over the row, not five.
        float sum = k.expSum(max, x, xOff, out, outOff, n);
        k.scale(1f / sum, out, outOff, out, outOff, n);
    }

    /** Log-softmax of one contiguous row, as {@code (x - max) - log(sum)}; {@code scratch} holds n floats. */
    private static void logSoftmaxRow(float[] x, int xOff, float[] out, int outOff, int n, float[] scratch) {
        KernelProvider k = Kernels.provider();
        float max = k.max(x, xOff, n);
        k.addScalar(-max, x, xOff, out, outOff, n);
        k.map(UnaryOp.EXP, out, outOff, scratch, 0, n);
        float logSum = (float) Math.log(k.sum(scratch, 0, n));
        k.addScalar(-logSum, out, outOff, out, outOff, n);
    }

    // ------------------------------------------------------------------ slabs (any other dimension)

    /**
     * One {@code [size, inner]} slab: lane {@code j} of every row is one softmax. Maxima and sums are
     * kept per lane and accumulated row by row in ascending order.
     */
    private static void slabForward(float[] x, int xOff, float[] y, int yOff, Layout l,
                                    float[] max, float[] sum, boolean log) {
        KernelProvider k = Kernels.provider();
        int inner = l.inner;
        System.arraycopy(x, xOff, max, 0, inner);
        for (int d = 1; d < l.size; d++) {
            int row = xOff + d * inner;
            for (int j = 0; j < inner; j++) {
                float v = x[row + j];
                if (v > max[j] || Float.isNaN(v)) { // NaN propagates, as torch
                    max[j] = v;
                }
            }
        }
        Arrays.fill(sum, 0f);
        for (int d = 0; d < l.size; d++) {
            int yr = yOff + d * inner;
            k.sub(x, xOff + d * inner, max, 0, y, yr, inner);
            k.map(UnaryOp.EXP, y, yr, y, yr, inner);
            k.add(sum, 0, y, yr, sum, 0, inner);
        }
        if (log) {
            k.map(UnaryOp.LOG, sum, 0, sum, 0, inner);
            for (int d = 0; d < l.size; d++) {
                int yr = yOff + d * inner;
                k.sub(x, xOff + d * inner, max, 0, y, yr, inner);
                k.sub(y, yr, sum, 0, y, yr, inner);
            }
        } else {
            for (int d = 0; d < l.size; d++) {
                int yr = yOff + d * inner;
                k.div(y, yr, sum, 0, y, yr, inner);
            }
        }
    }

    // ------------------------------------------------------------------ backward

    /**
     * softmax: {@code dx = y * (g - sum(g * y))}; logSoftmax: {@code dx = g - exp(y) * sum(g)}, the sums
     * taken along the softmax dimension.
     */
    private static Tensor backward(Tensor y, Tensor g, Layout l, boolean log) {
        Tensor dx = Tensor.zeros(y.shape());
        float[] yd = y.data();
        float[] gd = g.data();
        int gOff = g.offset();
        float[] dd = dx.data();
        KernelProvider k = Kernels.provider();
        if (dx.numel() == 0) {
            return dx;
        }
        if (l.inner == 1) {
            int n = l.size;
            Parallel.forRows(l.outer, n, (start, end) -> {
                for (int r = start; r < end; r++) {
                    int off = r * n;
                    if (log) {
                        float s = k.sum(gd, gOff + off, n);
                        k.map(UnaryOp.EXP, yd, off, dd, off, n);
                        k.scale(-s, dd, off, dd, off, n);
                        k.add(dd, off, gd, gOff + off, dd, off, n);
                    } else {
                        float s = k.dot(gd, gOff + off, yd, off, n);
                        k.addScalar(-s, gd, gOff + off, dd, off, n);
                        k.mul(dd, off, yd, off, dd, off, n);
                    }
                }
            });
            return dx;
        }
        int inner = l.inner;
        Parallel.forRows(l.outer, l.slab(), (start, end) -> {
            float[] acc = new float[inner];
            for (int o = start; o < end; o++) {
                int base = o * l.slab();
                Arrays.fill(acc, 0f);
                if (log) {
                    for (int d = 0; d < l.size; d++) {
                        k.add(acc, 0, gd, gOff + base + d * inner, acc, 0, inner);
                    }
                    for (int d = 0; d < l.size; d++) {
                        int r = base + d * inner;
                        k.map(UnaryOp.EXP, yd, r, dd, r, inner);
                        k.mul(dd, r, acc, 0, dd, r, inner);
                        k.sub(gd, gOff + r, dd, r, dd, r, inner);
                    }
                } else {
                    // dx rows first hold g*y, summed lane-wise; then they are overwritten with the result.
                    for (int d = 0; d < l.size; d++) {
                        int r = base + d * inner;
                        k.mul(gd, gOff + r, yd, r, dd, r, inner);
                        k.add(acc, 0, dd, r, acc, 0, inner);
                    }
                    for (int d = 0; d < l.size; d++) {
                        int r = base + d * inner;
                        k.sub(gd, gOff + r, acc, 0, dd, r, inner);
                        k.mul(dd, r, yd, r, dd, r, inner);
                    }
                }
            }
        });
        return dx;
    }

    /** The tensor as {@code [outer, size, inner]} around the softmax dimension. */
    private record Layout(int outer, int size, int inner) {
        static Layout of(String op, int[] shape, int dim) {
            int d = Shapes.dim(dim, shape.length, op);
            long outer = 1;
            long inner = 1;
            for (int i = 0; i < d; i++) {
                outer *= shape[i];
            }
            for (int i = d + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            return new Layout((int) outer, shape[d], (int) inner);
        }

        int slab() {
            return size * inner;
        }
    }
}
