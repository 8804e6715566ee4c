package org.lfssd.autograd.ops;

import java.util.Arrays;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Sums and means, over all elements (a rank-0 result) or over chosen dimensions. Reductions over
 * dimensions are {@code Broadcast.unbroadcast} to the shape with those dimensions set to 1, so they
 * share its fixed summation order; backward is the matching {@code Broadcast.expand}.
 */
public final class ReduceOps {
    private ReduceOps() {}

    private static final int[] SCALAR = new int[0];

    /**
     * The sum of all elements, shape {@code []}.
     *
     * @param x the input
     * @return the sum
     */
    public static Var sum(Var x) {
        Tensor v = x.value();
        int[] xs = v.shape();
        Tensor out = Tensor.zeros(SCALAR);
        out.data()[0] = Chunked.sum(v.data(), v.offset(), v.numel());
        return Var.fromOp("sum", out, g -> new Tensor[] {Tensor.full(g.item(), xs)}, x);
    }

    /**
     * The sum over {@code dims}; they are kept with size 1 when {@code keepDim}, removed otherwise.
     *
     * @param x       the input
     * @param dims    the dimensions to reduce
     * @param keepDim whether to keep them with size 1
     * @return the sums
     */
    public static Var sum(Var x, int[] dims, boolean keepDim) {
        int[] xs = x.shape();
        boolean[] reduced = reduced("sum", xs, dims);
        int[] kept = keptShape(xs, reduced);
        Tensor out = reduceTo(x.value(), kept, resultShape(xs, reduced, keepDim));
        return Var.fromOp("sum", out, g -> new Tensor[] {Broadcast.expand(g.reshape(kept), xs)}, x);
    }

    /**
     * The mean of all elements, shape {@code []}.
     *
     * @param x the input
     * @return the mean
     */
    public static Var mean(Var x) {
        Tensor v = x.value();
        int[] xs = v.shape();
        int n = v.numel();
        if (n == 0) {
            throw new IllegalArgumentException("mean: empty tensor of shape " + Shapes.str(xs));
        }
        Tensor out = Tensor.zeros(SCALAR);
        out.data()[0] = Chunked.sum(v.data(), v.offset(), n) / n;
        return Var.fromOp("mean", out, g -> new Tensor[] {Tensor.full(g.item() / n, xs)}, x);
    }

    /**
     * The mean over {@code dims}; they are kept with size 1 when {@code keepDim}, removed otherwise.
     *
     * @param x       the input
     * @param dims    the dimensions to reduce
     * @param keepDim whether to keep them with size 1
     * @return the means
     */
    public static Var mean(Var x, int[] dims, boolean keepDim) {
        int[] xs = x.shape();
        boolean[] reduced = reduced("mean", xs, dims);
        int[] kept = keptShape(xs, reduced);
        long count = 1;
        for (int i = 0; i < xs.length; i++) {
            count *= reduced[i] ? xs[i] : 1;
        }
        if (count == 0) {
            throw new IllegalArgumentException("mean: reducing " + Arrays.toString(dims) + " of shape "
                    + Shapes.str(xs) + " averages no elements");
        }
        Tensor sum = reduceTo(x.value(), kept, resultShape(xs, reduced, keepDim));
        float divisor = count;
        Tensor out = Chunked.divScalar(sum, divisor);
        return Var.fromOp("mean", out,
                g -> new Tensor[] {Broadcast.expand(Chunked.divScalar(g, divisor).reshape(kept), xs)}, x);
    }

    /** Sums {@code v} down to {@code kept} and gives the result {@code shape}, never aliasing {@code v}. */
    private static Tensor reduceTo(Tensor v, int[] kept, int[] shape) {
        Tensor r = Broadcast.unbroadcast(v, kept);
        // Reducing only size-1 dimensions sums nothing and would return a view of the input.
        return (r.data() == v.data() ? r.copy() : r).reshape(shape);
    }

    /** Which dimensions {@code dims} name; they may be negative but not repeated, and not empty. */
    private static boolean[] reduced(String op, int[] shape, int[] dims) {
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException(op + ": no dimensions given for shape " + Shapes.str(shape)
                    + "; use the overload without dims to reduce all elements");
        }
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            int r = Shapes.dim(d, shape.length, op);
            if (reduced[r]) {
                throw new IllegalArgumentException(op + ": dimension " + d + " repeated in " + Arrays.toString(dims)
                        + " for shape " + Shapes.str(shape));
            }
            reduced[r] = true;
        }
        return reduced;
    }

    /** {@code shape} with the reduced dimensions set to 1. */
    private static int[] keptShape(int[] shape, boolean[] reduced) {
        int[] kept = shape.clone();
        for (int i = 0; i < shape.length; i++) {
            if (reduced[i]) {
                kept[i] = 1;
            }
        }
        return kept;
    }

    /** The result shape: the reduced dimensions kept with size 1, or removed. */
    private static int[] resultShape(int[] shape, boolean[] reduced, boolean keepDim) {
        if (keepDim) {
            return keptShape(shape, reduced);
        }
        int[] out = new int[shape.length];
        int r = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduced[i]) {
                out[r++] = shape[i];
            }
        }
        return Arrays.copyOf(out, r);
    }
}
