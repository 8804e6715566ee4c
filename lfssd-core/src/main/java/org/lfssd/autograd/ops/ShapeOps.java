package org.lfssd.autograd.ops;

import java.util.Arrays;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Ops that move elements without arithmetic. Reshape and flatten are views (no copy); slice and select
 * are views when the selected elements are contiguous (slicing the outermost non-trivial dimension);
 * the others copy. Their backward closures keep shapes only.
 *
 * <p>Slice and select indices may be negative, counting from the end as in Python.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /**
     * A view with {@code shape}; one entry may be {@code -1} and is inferred.
     *
     * @param x     the input
     * @param shape the new shape
     * @return the reshaped view
     */
    public static Var reshape(Var x, int... shape) {
        int[] xs = x.shape();
        return Var.fromOp("reshape", x.value().reshape(shape), g -> new Tensor[] {g.reshape(xs)}, x);
    }

    /**
     * Dimensions {@code startDim..} merged into one (a view). A rank-0 input becomes shape {@code [1]},
     * as in PyTorch.
     *
     * @param x        the input
     * @param startDim the first dimension to merge
     * @return the flattened view
     */
    public static Var flatten(Var x, int startDim) {
        int[] xs = x.shape();
        int[] shape;
        if (xs.length == 0) {
            if (startDim != 0 && startDim != -1) {
                throw new IllegalArgumentException("flatten: start dimension " + startDim + " out of range for shape []");
            }
            shape = new int[] {1};
        } else {
            int start = Shapes.dim(startDim, xs.length, "flatten");
            shape = Arrays.copyOf(xs, start + 1);
            long rest = 1;
            for (int d = start; d < xs.length; d++) {
                rest *= xs[d];
            }
            shape[start] = (int) rest;
        }
        return Var.fromOp("flatten", x.value().reshape(shape), g -> new Tensor[] {g.reshape(xs)}, x);
    }

    /**
     * Dimensions {@code d0} and {@code d1} swapped (a copy).
     *
     * @param x  the input
     * @param d0 one dimension
     * @param d1 the other
     * @return the transposed copy
     */
    public static Var transpose(Var x, int d0, int d1) {
        return Var.fromOp("transpose", x.value().transpose(d0, d1),
                g -> new Tensor[] {g.transpose(d0, d1)}, x);
    }

    /**
     * Output dimension {@code i} is input dimension {@code dims[i]} (a copy).
     *
     * @param x    the input
     * @param dims a permutation of the dimensions
     * @return the permuted copy
     */
    public static Var permute(Var x, int... dims) {
        Tensor out = x.value().permute(dims); // validates dims
        int rank = dims.length;
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[Shapes.dim(dims[i], rank, "permute")] = i;
        }
        return Var.fromOp("permute", out, g -> new Tensor[] {g.permute(inverse)}, x);
    }

    /**
     * The inputs joined along {@code dim}; all other sizes must agree.
     *
     * @param dim the dimension to join along
     * @param xs  the inputs
     * @return the concatenation
     */
    public static Var concat(int dim, Var... xs) {
        if (xs == null || xs.length == 0) {
            throw new IllegalArgumentException("concat: no inputs");
        }
        int[] first = xs[0].shape();
        if (first.length == 0) {
            throw new IllegalArgumentException("concat: cannot concatenate rank-0 tensors");
        }
        int d = Shapes.dim(dim, first.length, "concat");
        int[] lengths = new int[xs.length];
        int total = 0;
        for (int i = 0; i < xs.length; i++) {
            int[] s = xs[i].shape();
            boolean compatible = s.length == first.length;
            for (int k = 0; compatible && k < s.length; k++) {
                compatible = k == d || s[k] == first[k];
            }
            if (!compatible) {
                throw new IllegalArgumentException("concat: along dimension " + dim + ", input " + i + " has shape "
                        + Shapes.str(s) + " but input 0 has shape " + Shapes.str(first));
            }
            lengths[i] = s[d];
            total = Math.addExact(total, s[d]);
        }
        int[] outShape = first.clone();
        outShape[d] = total;
        Tensor out = Tensor.uninitialized(outShape); // the inputs' blocks tile it
        int outer = outer(outShape, d);
        int inner = inner(outShape, d);
        int outRow = total * inner;
        int at = 0;
        for (int i = 0; i < xs.length; i++) {
            Tensor v = xs[i].value();
            int len = lengths[i] * inner;
            copyBlocks(outer, len, v.data(), v.offset(), len, out.data(), at, outRow);
            at += len;
        }
        boolean[] needs = new boolean[xs.length];
        for (int i = 0; i < xs.length; i++) {
            needs[i] = xs[i].requiresGrad();
        }
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            shapes[i] = xs[i].shape();
        }
        return Var.fromOp("concat", out, g -> {
            Tensor[] grads = new Tensor[needs.length];
            int from = 0;
            for (int i = 0; i < needs.length; i++) {
                int len = lengths[i] * inner;
                if (needs[i]) {
                    grads[i] = Tensor.uninitialized(shapes[i]); // written whole by the copy
                    copyBlocks(outer, len, g.data(), g.offset() + from, outRow, grads[i].data(), 0, len);
                }
                from += len;
            }
            return grads;
        }, xs);
    }

    /**
     * Elements {@code [start, end)} along {@code dim}.
     *
     * @param x     the input
     * @param dim   the dimension
     * @param start first index, inclusive
     * @param end   last index, exclusive
     * @return the slice
     */
    public static Var slice(Var x, int dim, int start, int end) {
        int[] xs = x.shape();
        if (xs.length == 0) {
            throw new IllegalArgumentException("slice: cannot slice a rank-0 tensor");
        }
        int d = Shapes.dim(dim, xs.length, "slice");
        int s = start < 0 ? start + xs[d] : start;
        int e = end < 0 ? end + xs[d] : end;
        if (s < 0 || e > xs[d] || s > e) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for dimension "
                    + dim + " of shape " + Shapes.str(xs));
        }
        int[] outShape = xs.clone();
        outShape[d] = e - s;
        return gather("slice", x, d, s, e - s, outShape);
    }

    /**
     * Index {@code index} along {@code dim}, which is removed.
     *
     * @param x     the input
     * @param dim   the dimension
     * @param index the index along {@code dim}
     * @return the sub-tensor
     */
    public static Var select(Var x, int dim, int index) {
        int[] xs = x.shape();
        if (xs.length == 0) {
            throw new IllegalArgumentException("select: cannot index a rank-0 tensor");
        }
        int d = Shapes.dim(dim, xs.length, "select");
        int i = index < 0 ? index + xs[d] : index;
        if (i < 0 || i >= xs[d]) {
            throw new IllegalArgumentException("select: index " + index + " out of bounds for dimension " + dim
                    + " of shape " + Shapes.str(xs));
        }
        int[] outShape = new int[xs.length - 1];
        for (int k = 0, r = 0; k < xs.length; k++) {
            if (k != d) {
                outShape[r++] = xs[k];
            }
        }
        return gather("select", x, d, i, 1, outShape);
    }

    /**
     * Broadcasts {@code x} to {@code shape}: size-1 dimensions are repeated and missing leading ones
     * added. {@code -1} keeps an existing dimension's size. The result is a copy; backward sums back.
     *
     * @param x     the input
     * @param shape the target shape
     * @return the broadcast copy
     */
    public static Var expand(Var x, int... shape) {
        int[] xs = x.shape();
        if (shape.length < xs.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(xs) + " to fewer dimensions "
                    + Shapes.str(shape));
        }
        int lead = shape.length - xs.length;
        int[] target = shape.clone();
        for (int i = 0; i < target.length; i++) {
            boolean existing = i >= lead;
            if (target[i] == -1 && existing) {
                target[i] = xs[i - lead];
            }
            boolean ok = existing ? xs[i - lead] == target[i] || (xs[i - lead] == 1 && target[i] >= 0) : target[i] >= 0;
            if (!ok) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(xs) + " to " + Shapes.str(shape));
            }
        }
        return Var.fromOp("expand", Broadcast.expand(x.value(), target), g -> new Tensor[] {Broadcast.unbroadcast(g, xs)}, x);
    }

    /**
     * The elements {@code [start, start + len)} along dimension {@code d}, with shape {@code outShape}
     * (which may drop {@code d}). A view when those elements are contiguous.
     */
    private static Var gather(String op, Var x, int d, int start, int len, int[] outShape) {
        Tensor v = x.value();
        int[] xs = v.shape();
        int outer = outer(xs, d);
        int inner = inner(xs, d);
        int inRow = xs[d] * inner;
        int outRow = len * inner;
        Tensor out;
        if (outer == 1) {
            out = Tensor.wrap(v.data(), v.offset() + start * inner, outShape);
        } else {
            out = Tensor.uninitialized(outShape); // written whole by the copy
            copyBlocks(outer, outRow, v.data(), v.offset() + start * inner, inRow, out.data(), 0, outRow);
        }
        return Var.fromOp(op, out, g -> {
            Tensor gx = Tensor.zeros(xs);
            copyBlocks(outer, outRow, g.data(), g.offset(), outRow, gx.data(), start * inner, inRow);
            return new Tensor[] {gx};
        }, x);
    }

    /** Copies {@code blocks} blocks of {@code len} floats between arrays with the given row pitches. */
    private static void copyBlocks(int blocks, int len, float[] src, int srcOff, int srcPitch, float[] dst, int dstOff, int dstPitch) {
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(src, srcOff + b * srcPitch, dst, dstOff + b * dstPitch, len);
        }
    }

    /** The product of the sizes before {@code d}. */
    private static int outer(int[] shape, int d) {
        int n = 1;
        for (int i = 0; i < d; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** The product of the sizes after {@code d}. */
    private static int inner(int[] shape, int d) {
        int n = 1;
        for (int i = d + 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }
}
