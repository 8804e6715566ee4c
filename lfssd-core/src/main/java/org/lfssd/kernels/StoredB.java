package org.lfssd.kernels;

/**
 * The default {@link Gemm.PackedB}: a compact copy of B as stored (row stride = stored columns), which the
 * default packed product passes to the plain one. The reference and jblas GEMMs read B straight from
 * their operand, so the copy is all the preparation they have; the product is then the plain product
 * with the same values, hence the same bits.
 *
 * @param transB whether the copy is stored transposed ({@code n x k})
 * @param k      rows of op(B)
 * @param n      columns of op(B)
 * @param data   the copy, {@code k·n} floats
 */
record StoredB(boolean transB, int k, int n, float[] data) implements Gemm.PackedB {

    /** The copy's row stride. */
    int ld() {
        // never 0, so a GEMM's leading-dimension checks pass for empty operands too
        return Math.max(1, transB ? k : n);
    }

    static StoredB copyOf(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        int rows = transB ? n : k;
        int cols = transB ? k : n;
        float[] copy = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, bOff + r * ldb, copy, r * cols, cols);
        }
        return new StoredB(transB, k, n, copy);
    }

    /** {@code b} as this form, or an exception naming the GEMM it was handed to. */
    static StoredB of(Gemm.PackedB b, String gemm) {
        if (b instanceof StoredB s) {
            return s;
        }
        throw new IllegalArgumentException("sgemm: the packed B " + (b == null ? "null" : b.getClass().getName())
                + " was not made by " + gemm);
    }
}
