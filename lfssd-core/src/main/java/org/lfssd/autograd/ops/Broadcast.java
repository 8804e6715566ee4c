package org.lfssd.autograd.ops;

import java.util.Arrays;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * NumPy/PyTorch broadcasting for tensors: the forward iterator of binary ops ({@link #apply}), its
 * materialising counterpart ({@link #expand}) and the gradient reduction ({@link #unbroadcast}).
 *
 * <p>All three first <em>coalesce</em> the iteration space: size-1 output dimensions are dropped and
 * neighbouring dimensions that every operand walks contiguously are merged. {@code [64,64,32,32] *
 * [64,1,1]} becomes rows of 1024 elements times one channel value, {@code [3,1,5] + [4,5]} becomes
 * 12 rows of 5. The innermost coalesced dimension is then handled by one tight loop per row (a kernel
 * call or a repeated-value loop), and only the outer dimensions are walked with an odometer.
 *
 * <p>Work is cut by element counts only and every output element is computed by one task, always
 * with the same additions in the same order, so results are bit-identical for any thread count.
 */
final class Broadcast {
    private Broadcast() {}

    /**
     * The broadcast shape of two shapes; an IllegalArgumentException naming {@code op} and both shapes otherwise.
     *
     * @param op the op's name, for the error message
     * @param a  one shape
     * @param b  the other
     * @return the broadcast shape
     */
    static int[] shape(String op, int[] a, int[] b) {
        return Shapes.broadcast(op, a, b);
    }

    // ------------------------------------------------------------------------------------ forward

    /**
     * {@code a (op) b} with broadcasting; the result has the broadcast shape.
     *
     * @param op the elementwise operation
     * @param a  left operand
     * @param b  right operand
     * @return a new tensor
     */
    static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        if (a.sameShape(b)) {
            return Chunked.binary(op, a, b);
        }
        int[] outShape = shape(op.opName(), a.shape(), b.shape());
        Tensor out = Tensor.uninitialized(outShape); // every row written below
        if (out.numel() == 0) {
            return out;
        }
        Layout l = Layout.of(outShape, stridesIn(a.shape(), outShape), stridesIn(b.shape(), outShape));
        int n = l.innerSize();
        boolean aRow = l.innerStride(0) == 1;
        boolean bRow = l.innerStride(1) == 1;
        float[] ad = a.data();
        float[] bd = b.data();
        float[] od = out.data();
        int rows = out.numel() / n;
        Parallel.forRange(rows, Math.max(1, Chunked.GRAIN / n), (r0, r1) -> {
            KernelProvider k = Kernels.provider();
            Odometer it = l.odometerAt(r0);
            for (int r = r0; r < r1; r++, it.next()) {
                int ao = a.offset() + it.offset(0);
                int bo = b.offset() + it.offset(1);
                int oo = r * n;
                if (aRow && bRow) {
                    op.rows(k, ad, ao, bd, bo, od, oo, n);
                } else if (aRow) {
                    op.rowScalar(ad, ao, bd[bo], od, oo, n);
                } else {
                    op.scalarRow(ad[ao], bd, bo, od, oo, n);
                }
            }
        });
        return out;
    }

    /**
     * {@code x} repeated along its size-1 (and missing leading) dimensions up to {@code shape}, as a new
     * contiguous tensor; {@code x} itself when the shapes are already equal.
     *
     * @param x     the input
     * @param shape the target shape
     * @return the expanded tensor
     */
    static Tensor expand(Tensor x, int[] shape) {
        int[] xs = x.shape();
        if (Arrays.equals(xs, shape)) {
            return x;
        }
        if (xs.length > shape.length || !Arrays.equals(Shapes.broadcast("expand", xs, shape), shape)) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(xs) + " to " + Shapes.str(shape));
        }
        Tensor out = Tensor.zeros(shape);
        if (out.numel() == 0) {
            return out;
        }
        if (x.numel() == 1) {
            return out.fill(x.data()[x.offset()]);
        }
        Layout l = Layout.of(shape, stridesIn(xs, shape));
        int n = l.innerSize();
        boolean row = l.innerStride(0) == 1;
        float[] xd = x.data();
        float[] od = out.data();
        int rows = out.numel() / n;
        Parallel.forRange(rows, Math.max(1, Chunked.GRAIN / n), (r0, r1) -> {
            Odometer it = l.odometerAt(r0);
            for (int r = r0; r < r1; r++, it.next()) {
                int xo = x.offset() + it.offset(0);
                if (row) {
                    System.arraycopy(xd, xo, od, r * n, n);
                } else {
                    Arrays.fill(od, r * n, r * n + n, xd[xo]);
                }
            }
        });
        return out;
    }

    // ------------------------------------------------------------------------------------ backward

    /**
     * The gradient of a broadcast operand: {@code grad} summed over every dimension along which
     * {@code targetShape} was broadcast (its size-1 dimensions and the leading dimensions it lacks),
     * returned with {@code targetShape}. Returns {@code grad} itself when the shapes are equal, and a
     * view of it when they differ only in size-1 dimensions.
     *
     * <p>Sums are taken in double, each output element by one task in ascending index order of
     * {@code grad} (with kernel-provider row sums when the reduced dimensions are innermost).
     *
     * @param grad        the gradient of the broadcast result
     * @param targetShape the operand's shape
     * @return the operand's gradient
     */
    static Tensor unbroadcast(Tensor grad, int[] targetShape) {
        int[] gs = grad.shape();
        if (Arrays.equals(gs, targetShape)) {
            return grad;
        }
        if (!broadcastsTo(targetShape, gs)) {
            throw new IllegalArgumentException("unbroadcast: a gradient of shape " + Shapes.str(gs)
                    + " cannot be summed to shape " + Shapes.str(targetShape) + ", which does not broadcast to it");
        }
        int outN = Shapes.numel(targetShape);
        if (grad.numel() == outN) {
            return grad.reshape(targetShape); // only size-1 dimensions differ: nothing to sum
        }
        Tensor out = Tensor.zeros(targetShape);
        if (grad.numel() == 0 || outN == 0) {
            return out;
        }
        if (outN == 1) {
            out.data()[0] = Chunked.sum(grad.data(), grad.offset(), grad.numel());
            return out;
        }
        Layout l = Layout.of(gs, Shapes.strides(gs), stridesIn(targetShape, gs));
        double[] acc = new double[outN];
        int n = l.innerSize();
        int rows = grad.numel() / n;
        boolean innerKept = l.innerStride(1) == 1;
        if (l.stride(0, 1) != 0) {
            // The outermost dimension is kept: a block of its indices owns a disjoint set of outputs.
            int size0 = l.sizes[0];
            int rowsPer0 = rows / size0;
            int per0 = (int) Math.max(1, Chunked.GRAIN / ((long) rowsPer0 * n));
            Parallel.forRange(size0, per0, (i0, i1) -> sumRows(l, grad, acc, i0 * rowsPer0, i1 * rowsPer0, 0, n));
        } else if (innerKept) {
            // Reduced outer dimensions, kept inner ones (a bias over [.., K]): split the columns, in
            // multiples of a 64-byte cache line so that tasks do not share the lines they read.
            int cols = (int) Math.max(16, (Chunked.GRAIN / (long) rows + 15) / 16 * 16);
            Parallel.forRange(n, cols, (c0, c1) -> sumRows(l, grad, acc, 0, rows, c0, c1));
        } else {
            sumRows(l, grad, acc, 0, rows, 0, n);
        }
        float[] od = out.data();
        for (int i = 0; i < outN; i++) {
            od[i] = (float) acc[i];
        }
        return out;
    }

    /** Adds rows {@code [r0, r1)} of {@code grad} (columns {@code [c0, c1)} of each) into {@code acc}. */
    private static void sumRows(Layout l, Tensor grad, double[] acc, int r0, int r1, int c0, int c1) {
        KernelProvider k = Kernels.provider();
        float[] g = grad.data();
        int n = l.innerSize();
        boolean innerKept = l.innerStride(1) == 1;
        Odometer it = l.odometerAt(r0);
        for (int r = r0; r < r1; r++, it.next()) {
            int go = grad.offset() + it.offset(0);
            int to = it.offset(1);
            if (innerKept) {
                for (int c = c0; c < c1; c++) {
                    acc[to + c] += g[go + c];
                }
            } else {
                acc[to] += k.sum(g, go, n);
            }
        }
    }

    /**
     * True when {@code shape} broadcasts to {@code to} without changing {@code to}.
     *
     * @param shape a shape
     * @param to    the target shape
     * @return whether broadcasting leaves {@code to} as it is
     */
    static boolean broadcastsTo(int[] shape, int[] to) {
        if (shape.length > to.length) {
            return false;
        }
        int lead = to.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1 && shape[i] != to[lead + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Element strides of a contiguous tensor of {@code shape} when it is walked over the broadcast shape
     * {@code to}: 0 along broadcast (size-1 or missing leading) dimensions.
     */
    static int[] stridesIn(int[] shape, int[] to) {
        int[] own = Shapes.strides(shape);
        int[] s = new int[to.length];
        int lead = to.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            s[lead + i] = shape[i] == 1 ? 0 : own[i];
        }
        return s;
    }

    // ------------------------------------------------------------------------------------ iteration

    /**
     * A coalesced iteration space: dimension sizes and, per operand, element strides (0 when the
     * operand is broadcast). The innermost dimension is walked by the caller's row loop.
     */
    private static final class Layout {
        final int[] sizes;
        final int[][] strides;

        private Layout(int[] sizes, int[][] strides) {
            this.sizes = sizes;
            this.strides = strides;
        }

        static Layout of(int[] shape, int[]... operandStrides) {
            int ops = operandStrides.length;
            int[] sizes = new int[shape.length];
            int[][] strides = new int[ops][shape.length];
            int rank = 0;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1) {
                    continue; // contributes no iteration and no offset
                }
                if (rank > 0 && mergeable(operandStrides, strides, rank - 1, d, shape[d])) {
                    sizes[rank - 1] *= shape[d];
                    for (int o = 0; o < ops; o++) {
                        strides[o][rank - 1] = operandStrides[o][d];
                    }
                    continue;
                }
                sizes[rank] = shape[d];
                for (int o = 0; o < ops; o++) {
                    strides[o][rank] = operandStrides[o][d];
                }
                rank++;
            }
            if (rank == 0) {
                // A single element: one row of length 1 that every operand reads at its offset.
                int[][] unit = new int[ops][];
                for (int o = 0; o < ops; o++) {
                    unit[o] = new int[] {1};
                }
                return new Layout(new int[] {1}, unit);
            }
            int[][] trimmed = new int[ops][];
            for (int o = 0; o < ops; o++) {
                trimmed[o] = Arrays.copyOf(strides[o], rank);
            }
            return new Layout(Arrays.copyOf(sizes, rank), trimmed);
        }

        /** Dimension {@code d} folds into kept dimension {@code prev} when every operand steps over it contiguously. */
        private static boolean mergeable(int[][] operandStrides, int[][] kept, int prev, int d, int size) {
            for (int o = 0; o < operandStrides.length; o++) {
                if ((long) kept[o][prev] != (long) operandStrides[o][d] * size) {
                    return false;
                }
            }
            return true;
        }

        int innerSize() {
            return sizes[sizes.length - 1];
        }

        int innerStride(int operand) {
            return strides[operand][sizes.length - 1];
        }

        int stride(int dim, int operand) {
            return strides[operand][dim];
        }

        /** An odometer over the outer dimensions, positioned at row {@code row} (rows in row-major order). */
        Odometer odometerAt(int row) {
            return new Odometer(this, row);
        }
    }

    /** Walks the outer (all but innermost) dimensions of a {@link Layout}, tracking each operand's offset. */
    private static final class Odometer {
        private final Layout l;
        private final int outer;
        private final int[] index;
        private final int[] offsets;

        Odometer(Layout l, int row) {
            this.l = l;
            this.outer = l.sizes.length - 1;
            this.index = new int[outer];
            this.offsets = new int[l.strides.length];
            int rest = row;
            for (int d = outer - 1; d >= 0; d--) {
                index[d] = rest % l.sizes[d];
                rest /= l.sizes[d];
                for (int o = 0; o < offsets.length; o++) {
                    offsets[o] += index[d] * l.strides[o][d];
                }
            }
        }

        int offset(int operand) {
            return offsets[operand];
        }

        void next() {
            for (int d = outer - 1; d >= 0; d--) {
                if (++index[d] < l.sizes[d]) {
                    for (int o = 0; o < offsets.length; o++) {
                        offsets[o] += l.strides[o][d];
                    }
                    return;
                }
                index[d] = 0;
                for (int o = 0; o < offsets.length; o++) {
                    offsets[o] -= (l.sizes[d] - 1) * l.strides[o][d];
                }
            }
        }
    }
}
