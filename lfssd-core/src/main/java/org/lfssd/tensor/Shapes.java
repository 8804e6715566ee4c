package org.lfssd.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by tensors and ops: sizes, strides, broadcasting and error messages. */
public final class Shapes {
    private Shapes() {}

    /**
     * Number of elements of a shape, checked against int overflow (our arrays are Java arrays).
     *
     * @param shape the dimensions
     * @return their product
     */
    public static int numel(int[] shape) {
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            }
            empty |= d == 0;
        }
        // A zero anywhere makes the product 0, however large the other dimensions ([65536, 65536, 0]
        // is a valid empty tensor, as in PyTorch and the safetensors reference).
        if (empty) {
            return 0;
        }
        long n = 1;
        for (int d : shape) {
            n *= d; // cannot overflow: n <= 2^31 before the check below and d < 2^31
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /**
     * Row-major strides of a contiguous tensor.
     *
     * @param shape the dimensions
     * @return the stride of each dimension, in elements
     */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * Resolves a possibly negative dimension index ({@code -1} is the last) against a rank.
     *
     * @param d    the dimension, possibly negative
     * @param rank the number of dimensions
     * @param op   the op's name, for the error message
     * @return the dimension in {@code [0, rank)}
     */
    public static int dim(int d, int rank, String op) {
        int r = d < 0 ? d + rank : d;
        if (r < 0 || r >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + d + " out of range for rank " + rank);
        }
        return r;
    }

    /**
     * NumPy/PyTorch broadcast of two shapes; throws naming the op and both shapes when they do not broadcast.
     *
     * @param op the op's name, for the error message
     * @param a  one shape
     * @param b  the other
     * @return the broadcast shape
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw mismatch(op, a, b);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Throws unless {@code a} and {@code b} are equal.
     *
     * @param op the op's name, for the error message
     * @param a  one shape
     * @param b  the other
     */
    public static void requireSame(String op, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) {
            throw mismatch(op, a, b);
        }
    }

    /**
     * The error for two shapes that should be equal.
     *
     * @param op the op's name
     * @param a  one shape
     * @param b  the other
     * @return an exception naming both shapes
     */
    public static IllegalArgumentException mismatch(String op, int[] a, int[] b) {
        return new IllegalArgumentException(op + ": shape mismatch " + str(a) + " vs " + str(b));
    }

    /**
     * The shape as text, e.g. {@code [2, 3, 32, 32]}.
     *
     * @param shape the dimensions
     * @return the text
     */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
