package org.lfssd.kernels;

/**
 * Work a GEMM caller wants done on each block of C as soon as that block holds its final value, while
 * the block is still in cache: the bias add and activation of a Linear layer, for example, instead of
 * a second sweep over the whole output after the product.
 *
 * <p>Contract for implementations of {@link Gemm#sgemm(boolean, boolean, int, int, int, float, float[],
 * int, int, float[], int, int, float, float[], int, int, GemmEpilogue)}: the blocks handed to
 * {@link #finish} are disjoint and together cover C exactly once; each is passed only after every one
 * of its elements is final; blocks may be finished concurrently on different threads. How C is cut
 * into blocks may differ between GEMMs, so an epilogue must be elementwise (or at least act on each
 * row segment independently) for results not to depend on the GEMM or the thread count.
 */
@FunctionalInterface
public interface GemmEpilogue {
    /**
     * Post-processes the final rows {@code [row0, row1)} and columns {@code [col0, col1)} of C.
     *
     * @param row0 first row, inclusive
     * @param row1 last row, exclusive
     * @param col0 first column, inclusive
     * @param col1 last column, exclusive
     */
    void finish(int row0, int row1, int col0, int col1);
}
