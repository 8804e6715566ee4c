package org.lfssd.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, with {@code op(X) = X} or {@code X^T}.
 *
 * <p>{@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}.
 * Leading dimensions are row strides of the arrays as stored (so for {@code transA} the stored A is
 * {@code k x m} with row stride {@code lda}). When {@code beta == 0}, C is not read (NaNs in C do not
 * propagate), as in BLAS.
 *
 * <p>Implementations must be deterministic for any thread count: work is split over blocks of C only,
 * never over k, and each element's k-sum runs in one fixed order.
 */
public interface Gemm {

    /** {@return a short name for logs, e.g. {@code java-vector-512} or {@code jblas}} */
    String name();

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}.
     *
     * @param transA whether A is stored transposed
     * @param transB whether B is stored transposed
     * @param m      rows of op(A) and C
     * @param n      columns of op(B) and C
     * @param k      columns of op(A), rows of op(B)
     * @param alpha  the product's factor
     * @param a      A's array
     * @param aOff   A's first element
     * @param lda    A's row stride as stored
     * @param b      B's array
     * @param bOff   B's first element
     * @param ldb    B's row stride as stored
     * @param beta   C's factor (0: C is not read)
     * @param c      C's array
     * @param cOff   C's first element
     * @param ldc    C's row stride
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, then {@code epilogue} on each block of C once it is
     * final (see {@link GemmEpilogue} for the contract). This default runs the whole product first and
     * then the epilogue on all of C as one block; cache-blocked implementations call it block by block.
     *
     * @param transA   whether A is stored transposed
     * @param transB   whether B is stored transposed
     * @param m        rows of op(A) and C
     * @param n        columns of op(B) and C
     * @param k        columns of op(A), rows of op(B)
     * @param alpha    the product's factor
     * @param a        A's array
     * @param aOff     A's first element
     * @param lda      A's row stride as stored
     * @param b        B's array
     * @param bOff     B's first element
     * @param ldb      B's row stride as stored
     * @param beta     C's factor (0: C is not read)
     * @param c        C's array
     * @param cOff     C's first element
     * @param ldc      C's row stride
     * @param epilogue what to do with each finished block of C
     */
    default void sgemm(boolean transA, boolean transB, int m, int n, int k,
                       float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb,
                       float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        if (m > 0 && n > 0) {
            epilogue.finish(0, m, 0, n);
        }
    }

    /**
     * A right operand {@code op(B)} ({@code k x n}) prepared once for many products with different left
     * operands: a Linear layer's weight, say, multiplied by batch after batch of activations while the
     * weights do not change. What "prepared" means is the implementation's business (SIMD column panels for
     * the Vector API GEMM, a compact copy for the others); the form holds its own copy, so changing the
     * source array afterwards does not change it. A product with a packed operand gives the same bits as
     * the plain product with the operand it was packed from.
     */
    interface PackedB {
        /**
         * Rows of {@code op(B)}: the depth of the products it serves.
         *
         * @return k
         */
        int k();

        /**
         * Columns of {@code op(B)}: the columns of the products' C.
         *
         * @return n
         */
        int n();
    }

    /**
     * Prepares {@code op(B)} for {@link #sgemm(boolean, int, int, int, float, float[], int, int, PackedB, float,
     * float[], int, int)}. This default keeps a compact copy of B as stored, which the default packed
     * product hands to the plain one; cache-blocked implementations pack B into their own layout.
     *
     * @param transB whether B is stored transposed ({@code n x k})
     * @param k      rows of op(B)
     * @param n      columns of op(B)
     * @param b      B's array
     * @param bOff   B's first element
     * @param ldb    B's row stride as stored
     * @return the prepared operand
     * @throws IllegalArgumentException if a size is negative or B overruns its array
     */
    default PackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        checkPackArgs(transB, k, n, b, bOff, ldb);
        return StoredB.copyOf(transB, k, n, b, bOff, ldb);
    }

    /**
     * {@code C = alpha * op(A) * B + beta * C} with B prepared by this GEMM's {@link #packB}: the same bits
     * as the plain product with the operand B was packed from.
     *
     * @param transA whether A is stored transposed
     * @param m      rows of op(A) and C
     * @param n      columns of B and C; must equal {@code b.n()}
     * @param k      columns of op(A), rows of B; must equal {@code b.k()}
     * @param alpha  the product's factor
     * @param a      A's array
     * @param aOff   A's first element
     * @param lda    A's row stride as stored
     * @param b      the prepared right operand
     * @param beta   C's factor (0: C is not read)
     * @param c      C's array
     * @param cOff   C's first element
     * @param ldc    C's row stride
     * @throws IllegalArgumentException as the plain product, or if {@code b} has other sizes or was prepared
     *         by another implementation
     */
    default void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                       PackedB b, float beta, float[] c, int cOff, int ldc) {
        StoredB s = StoredB.of(b, name());
        checkPackedArgs(transA, m, n, k, a, aOff, lda, b, c, cOff, ldc);
        sgemm(transA, s.transB(), m, n, k, alpha, a, aOff, lda, s.data(), 0, s.ld(), beta, c, cOff, ldc);
    }

    /**
     * {@link #sgemm(boolean, int, int, int, float, float[], int, int, PackedB, float, float[], int, int)} followed
     * by {@code epilogue} on each block of C once it is final, as in the plain product with an epilogue.
     *
     * @param transA   whether A is stored transposed
     * @param m        rows of op(A) and C
     * @param n        columns of B and C; must equal {@code b.n()}
     * @param k        columns of op(A), rows of B; must equal {@code b.k()}
     * @param alpha    the product's factor
     * @param a        A's array
     * @param aOff     A's first element
     * @param lda      A's row stride as stored
     * @param b        the prepared right operand
     * @param beta     C's factor (0: C is not read)
     * @param c        C's array
     * @param cOff     C's first element
     * @param ldc      C's row stride
     * @param epilogue what to do with each finished block of C
     * @throws IllegalArgumentException as the plain product, or if {@code b} has other sizes or was prepared
     *         by another implementation
     */
    default void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                       PackedB b, float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        StoredB s = StoredB.of(b, name());
        checkPackedArgs(transA, m, n, k, a, aOff, lda, b, c, cOff, ldc);
        sgemm(transA, s.transB(), m, n, k, alpha, a, aOff, lda, s.data(), 0, s.ld(), beta, c, cOff, ldc, epilogue);
    }

    /**
     * Checks the arguments of {@link #packB}; throws naming the bad argument.
     *
     * @param transB whether B is stored transposed
     * @param k      rows of op(B)
     * @param n      columns of op(B)
     * @param b      B's array
     * @param bOff   B's first element
     * @param ldb    B's row stride as stored
     */
    static void checkPackArgs(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("packB: negative size k=" + k + " n=" + n);
        }
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
    }

    /**
     * Checks the arguments of a product with a prepared B; throws naming the bad argument.
     *
     * @param transA whether A is stored transposed
     * @param m      rows of op(A) and C
     * @param n      columns of B and C
     * @param k      columns of op(A), rows of B
     * @param a      A's array
     * @param aOff   A's first element
     * @param lda    A's row stride as stored
     * @param b      the prepared right operand
     * @param c      C's array
     * @param cOff   C's first element
     * @param ldc    C's row stride
     */
    static void checkPackedArgs(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, PackedB b,
                                float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        if (b.k() != k || b.n() != n) {
            throw new IllegalArgumentException("sgemm: the packed B is " + b.k() + "x" + b.n() + " but the product needs "
                    + k + "x" + n + " (m=" + m + ")");
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    /**
     * Checks arguments for every implementation alike; throws naming the bad argument.
     *
     * @param transA whether A is stored transposed
     * @param transB whether B is stored transposed
     * @param m      rows of op(A) and C
     * @param n      columns of op(B) and C
     * @param k      columns of op(A), rows of op(B)
     * @param a      A's array
     * @param aOff   A's first element
     * @param lda    A's row stride as stored
     * @param b      B's array
     * @param bOff   B's first element
     * @param ldb    B's row stride as stored
     * @param c      C's array
     * @param cOff   C's first element
     * @param ldc    C's row stride
     */
    static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        checkMatrix("A", a, aOff, lda, aRows, aCols);
        checkMatrix("B", b, bOff, ldb, bRows, bCols);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + name + " is " + ld + " < " + cols + " columns");
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + "x" + cols + ", ld " + ld + ", offset " + off
                    + ") overruns its array of length " + x.length);
        }
    }
}
