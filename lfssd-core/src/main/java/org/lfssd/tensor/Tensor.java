package org.lfssd.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;

/**
 * A dense float32 tensor: a shape and a contiguous row-major window ({@code offset}, {@code numel})
 * of a heap {@code float[]}. Images are NCHW.
 *
 * <p>Tensors are plain data: no gradient bookkeeping lives here (see {@code org.lfssd.autograd.Var}).
 * Views ({@link #reshape}, {@link #sliceBatch}) share the array; everything else allocates.
 * Elementwise methods run on the selected kernel provider.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int numel;

    private Tensor(float[] data, int offset, int[] shape) {
        this.shape = shape.clone();
        this.numel = Shapes.numel(this.shape);
        if (offset < 0 || (long) offset + numel > data.length) {
            throw new IllegalArgumentException("tensor window [" + offset + ", " + ((long) offset + numel)
                    + ") does not fit an array of length " + data.length + " for shape " + Shapes.str(shape));
        }
        this.data = data;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- factories

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions
     * @return a new contiguous tensor
     */
    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.numel(shape)], 0, shape);
    }

    /**
     * A tensor whose elements are unspecified, for an op that writes every element before anything reads
     * one: inside a {@link StepArena} opened on this thread its array may be one that an earlier step used
     * (and holds that step's values); outside one it is a new array of zeros.
     *
     * @param shape the dimensions
     * @return a new contiguous tensor
     */
    public static Tensor uninitialized(int... shape) {
        return new Tensor(StepArena.array(Shapes.numel(shape)), 0, shape);
    }

    /**
     * A tensor of ones.
     *
     * @param shape the dimensions
     * @return a new contiguous tensor
     */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /**
     * A tensor with every element {@code value}.
     *
     * @param value the element value
     * @param shape the dimensions
     * @return a new contiguous tensor
     */
    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, 0, shape);
    }

    /**
     * A tensor holding a copy of {@code values}, whose length must equal the shape's element count.
     *
     * @param values the elements in row-major order
     * @param shape  the dimensions
     * @return a new tensor
     */
    public static Tensor fromArray(float[] values, int... shape) {
        if (values.length != Shapes.numel(shape)) {
            throw new IllegalArgumentException("fromArray: " + values.length + " values for shape " + Shapes.str(shape));
        }
        return new Tensor(values.clone(), 0, shape);
    }

    /**
     * A tensor over {@code data[offset, offset + numel(shape))}, without copying.
     *
     * @param data   the backing array, shared
     * @param offset the index of the first element in {@code data}
     * @param shape  the dimensions
     * @return a view of {@code data}
     */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape);
    }

    /**
     * Normal(mean, std) samples drawn in index order from {@code rng}.
     *
     * @param rng   the random source
     * @param mean  the mean
     * @param std   the standard deviation
     * @param shape the dimensions
     * @return a new tensor
     */
    public static Tensor randn(RandomGenerator rng, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.numel; i++) {
            t.data[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    /**
     * Uniform[lo, hi) samples drawn in index order from {@code rng}.
     *
     * @param rng   the random source
     * @param lo    the lower bound, inclusive
     * @param hi    the upper bound, exclusive
     * @param shape the dimensions
     * @return a new tensor
     */
    public static Tensor uniform(RandomGenerator rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.numel; i++) {
            t.data[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return t;
    }

    // ---------------------------------------------------------------- accessors

    /** {@return a copy of the dimensions} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the number of dimensions} */
    public int dim() {
        return shape.length;
    }

    /**
     * Size of dimension {@code d}; negative {@code d} counts from the end.
     *
     * @param d the dimension
     * @return its size
     */
    public int size(int d) {
        return shape[Shapes.dim(d, shape.length, "size")];
    }

    /** {@return the number of elements} */
    public int numel() {
        return numel;
    }

    /**
     * The backing array; this tensor's elements are {@code data()[offset() .. offset() + numel())}.
     *
     * @return the backing array (shared)
     */
    public float[] data() {
        return data;
    }

    /** {@return the index of this tensor's first element in {@link #data()}} */
    public int offset() {
        return offset;
    }

    /**
     * Whether {@code other} has the same dimensions.
     *
     * @param other another tensor
     * @return true for equal shapes
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * The element at {@code index} (one index per dimension).
     *
     * @param index the indices
     * @return the element
     */
    public float get(int... index) {
        return data[offset + flatIndex(index)];
    }

    /**
     * Sets the element at {@code index} (one index per dimension).
     *
     * @param value the new value
     * @param index the indices
     */
    public void set(float value, int... index) {
        data[offset + flatIndex(index)] = value;
    }

    /**
     * The single value of a one-element tensor.
     *
     * @return the element
     */
    public float item() {
        if (numel != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shapes.str(shape) + " has " + numel + " elements");
        }
        return data[offset];
    }

    /**
     * A fresh array with this tensor's elements in row-major order.
     *
     * @return the elements
     */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + numel);
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length
                    + " but the tensor has shape " + Shapes.str(shape));
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + Shapes.str(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    // ---------------------------------------------------------------- views and layout

    /**
     * A view with a new shape and the same elements; one dimension may be {@code -1} (inferred).
     *
     * @param newShape the new dimensions
     * @return a view sharing this tensor's storage
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(newShape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
            }
            s[infer] = (int) (numel / known);
        }
        if (Shapes.numel(s) != numel) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
        }
        return new Tensor(data, offset, s);
    }

    /**
     * A view of rows {@code [start, end)} of the first (batch) dimension.
     *
     * @param start first row, inclusive
     * @param end   last row, exclusive
     * @return a view sharing this tensor's storage
     */
    public Tensor sliceBatch(int start, int end) {
        if (shape.length == 0 || start < 0 || end > shape[0] || start > end) {
            throw new IllegalArgumentException("sliceBatch: [" + start + ", " + end + ") out of range for shape " + Shapes.str(shape));
        }
        int[] s = shape.clone();
        s[0] = end - start;
        int row = shape[0] == 0 ? 0 : numel / shape[0];
        return new Tensor(data, offset + start * row, s);
    }

    /**
     * A contiguous copy with dimensions {@code d0} and {@code d1} swapped.
     *
     * @param d0 one dimension
     * @param d1 the other
     * @return a new tensor
     */
    public Tensor transpose(int d0, int d1) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int a = Shapes.dim(d0, shape.length, "transpose");
        int b = Shapes.dim(d1, shape.length, "transpose");
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Output elements per parallel task of {@link #permute}. */
    private static final int PERMUTE_TASK_ELEMENTS = 1 << 15;

    /**
     * A contiguous copy whose dimension {@code i} is this tensor's dimension {@code dims[i]}.
     *
     * <p>The output is cut into rows of its last dimension. When that dimension is also the input's last
     * (the usual case: ViT's head split and merge) each row is one {@code System.arraycopy}; otherwise a
     * strided gather. Blocks of rows are parallel tasks cut by the shape only, and each output element is
     * written once, so the result cannot depend on the thread count.
     *
     * @param dims a permutation of {@code 0 .. dim()-1}
     * @return a new tensor
     */
    public Tensor permute(int... dims) {
        int rank = shape.length;
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " for shape " + Shapes.str(shape));
        }
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Shapes.dim(dims[i], rank, "permute");
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: repeated dimension in " + Arrays.toString(dims));
            }
            seen[perm[i]] = true;
        }
        int[] outShape = new int[rank];
        int[] inStrides = Shapes.strides(shape);
        int[] srcStride = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
            srcStride[i] = inStrides[perm[i]];
        }
        Tensor out = uninitialized(outShape); // every row is copied below
        if (rank < 2 || numel == 0) {
            System.arraycopy(data, offset, out.data, 0, numel); // nothing to reorder
            return out;
        }
        int rowLength = outShape[rank - 1];
        int rows = numel / rowLength;
        Parallel.forRange(rows, Math.max(1, PERMUTE_TASK_ELEMENTS / rowLength),
                (r0, r1) -> copyPermutedRows(srcStride, outShape, rowLength, r0, r1, out.data));
        return out;
    }

    /** Writes output rows {@code [r0, r1)}, walking the source with an odometer over the leading output dimensions. */
    private void copyPermutedRows(int[] srcStride, int[] outShape, int rowLength, int r0, int r1, float[] dst) {
        int lead = outShape.length - 1;
        int[] idx = new int[lead];
        int s = offset;
        for (int d = lead - 1, rest = r0; d >= 0; d--) {
            idx[d] = rest % outShape[d];
            rest /= outShape[d];
            s += idx[d] * srcStride[d];
        }
        int inner = srcStride[lead];
        for (int r = r0; r < r1; r++) {
            int o = r * rowLength;
            if (inner == 1) {
                System.arraycopy(data, s, dst, o, rowLength);
            } else {
                for (int j = 0, at = s; j < rowLength; j++, at += inner) {
                    dst[o + j] = data[at];
                }
            }
            for (int d = lead - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    s += srcStride[d];
                    break;
                }
                s -= srcStride[d] * (outShape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    /** {@return a contiguous copy} */
    public Tensor copy() {
        return new Tensor(toArray(), 0, shape);
    }

    /**
     * Copies {@code src}'s elements into this tensor; shapes must match.
     *
     * @param src a tensor of the same shape
     * @return this tensor
     */
    public Tensor copyFrom(Tensor src) {
        Shapes.requireSame("copyFrom", shape, src.shape);
        System.arraycopy(src.data, src.offset, data, offset, numel);
        return this;
    }

    /**
     * Sets every element to {@code value}, in place.
     *
     * @param value the value
     * @return this tensor
     */
    public Tensor fill(float value) {
        Arrays.fill(data, offset, offset + numel, value);
        return this;
    }

    // ---------------------------------------------------------------- elementwise arithmetic (same shapes)

    /**
     * {@code this + other} into a new tensor; shapes must match.
     *
     * @param other a tensor of the same shape
     * @return the sum
     */
    public Tensor add(Tensor other) {
        Shapes.requireSame("add", shape, other.shape);
        Tensor out = uninitialized(shape); // every chunk written below
        // In fixed chunks over the threads: autograd sums every second gradient contribution (each
        // residual branch of a transformer) with this, on the thread that runs backward. Elementwise, so
        // the bits do not depend on the split.
        float[] od = out.data;
        Parallel.forRange(numel, Parallel.TASK_ELEMENTS, (s, e) ->
                Kernels.provider().add(data, offset + s, other.data, other.offset + s, od, s, e - s));
        return out;
    }

    /**
     * {@code this - other} into a new tensor; shapes must match.
     *
     * @param other a tensor of the same shape
     * @return the difference
     */
    public Tensor sub(Tensor other) {
        Shapes.requireSame("sub", shape, other.shape);
        Tensor out = zeros(shape);
        Kernels.provider().sub(data, offset, other.data, other.offset, out.data, 0, numel);
        return out;
    }

    /**
     * {@code this * other} elementwise into a new tensor; shapes must match.
     *
     * @param other a tensor of the same shape
     * @return the product
     */
    public Tensor mul(Tensor other) {
        Shapes.requireSame("mul", shape, other.shape);
        Tensor out = zeros(shape);
        Kernels.provider().mul(data, offset, other.data, other.offset, out.data, 0, numel);
        return out;
    }

    /**
     * {@code this / other} elementwise into a new tensor; shapes must match.
     *
     * @param other a tensor of the same shape
     * @return the quotient
     */
    public Tensor div(Tensor other) {
        Shapes.requireSame("div", shape, other.shape);
        Tensor out = zeros(shape);
        Kernels.provider().div(data, offset, other.data, other.offset, out.data, 0, numel);
        return out;
    }

    /**
     * {@code this * s} into a new tensor.
     *
     * @param s the factor
     * @return the product
     */
    public Tensor mul(float s) {
        Tensor out = zeros(shape);
        Kernels.provider().scale(s, data, offset, out.data, 0, numel);
        return out;
    }

    /**
     * {@code this += other}, in place.
     *
     * @param other a tensor of the same shape
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other) {
        Shapes.requireSame("addInPlace", shape, other.shape);
        // In fixed chunks over the threads, as add: elementwise, so the same bits on any thread count.
        Parallel.forRange(numel, Parallel.TASK_ELEMENTS, (s, e) ->
                Kernels.provider().axpy(1f, other.data, other.offset + s, data, offset + s, e - s));
        return this;
    }

    /**
     * {@code this += alpha * other}, in place.
     *
     * @param alpha the factor
     * @param other a tensor of the same shape
     * @return this tensor
     */
    public Tensor addScaledInPlace(float alpha, Tensor other) {
        Shapes.requireSame("addScaledInPlace", shape, other.shape);
        Kernels.provider().axpy(alpha, other.data, other.offset, data, offset, numel);
        return this;
    }

    /**
     * {@code this *= s}, in place.
     *
     * @param s the factor
     * @return this tensor
     */
    public Tensor mulInPlace(float s) {
        Kernels.provider().scale(s, data, offset, data, offset, numel);
        return this;
    }

    /** {@return the sum of all elements} */
    public float sum() {
        return Kernels.provider().sum(data, offset, numel);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(' ');
        int show = Math.min(numel, 8);
        sb.append('[');
        for (int i = 0; i < show; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[offset + i]);
        }
        if (numel > show) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
