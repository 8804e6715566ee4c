package org.lfssd.kernels;

/**
 * Matrix products whose rows are gathered from an image through offset tables instead of being copied
 * into a column matrix first: the "implicit GEMM" behind direct convolution on channels-last data.
 *
 * <p>A row {@code i} of the implicit left operand is {@code a[aRows[i] + taps[t] + c]} for tap {@code t}
 * and channel {@code c}: {@code aRows[i]} locates an output pixel's window in a padded channels-last
 * image and {@code taps[t]} the offset of one kernel tap within that window, so the same image serves
 * every tap without unfolding it {@code taps.length} times.
 *
 * <p>Both products fix the order in which each output element sums its terms (below), one fused
 * multiply-add per term, whatever the tiling or thread count: implementations are bit-identical to each
 * other and to themselves on any number of threads. Output rows listed in {@code outRows} must not
 * overlap unless they are the same row listed twice; implementations may compute a row twice.
 */
public interface ImplicitGemm {

    /**
     * Short name for logs.
     *
     * @return the name
     */
    String name();

    /**
     * {@code out[outRows[i] + j] = Σ_t Σ_c a[aRows[i] + taps[t] + c] · b[(t·k + c)·n + j]} for
     * {@code i < m}, {@code j < n}: taps in ascending order, channels {@code c < k} ascending within a tap,
     * starting from 0. {@code b} is {@code [taps.length][k][n]} row-major. With no taps, the rows are zeroed.
     *
     * @param m       the number of output rows (output pixels), {@code >= 0}
     * @param n       the number of output columns (output channels) per row, {@code >= 0}
     * @param k       the number of channels read per tap, {@code >= 0}
     * @param a       the gathered operand (a padded channels-last image)
     * @param aRows   for each row {@code i < m}, the offset in {@code a}, in floats, of that row's window
     * @param taps    the offset, in floats, of each kernel tap within a window; added to {@code aRows[i]}
     * @param b       the right operand, {@code [taps.length][k][n]} row-major from offset 0
     * @param out     the output; only the {@code m} rows of {@code n} floats given by {@code outRows} are
     *                written (overwritten, not accumulated)
     * @param outRows for each row {@code i < m}, the offset in {@code out}, in floats, of that row's first column
     * @throws IllegalArgumentException if a size is negative, a table is shorter than {@code m}, {@code b}
     *         is too short, or an offset would fall outside its array (see {@link ImplicitGemmChecks})
     */
    void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, float[] out, int[] outRows);

    /**
     * A right operand of {@link #gather} prepared once for many products: a {@code [depth][n]} row-major
     * matrix in whatever layout the implementation's tiles stream (SIMD column panels, say). Products that
     * reuse one operand many times (Winograd's sixteen positions, tile group after tile group) pack it
     * once instead of on every call. It holds its own copy: changing the source array afterwards does
     * not change it.
     */
    interface Packed {
        /**
         * Rows of the packed matrix.
         *
         * @return the depth
         */
        int depth();

        /**
         * Columns of the packed matrix.
         *
         * @return the number of columns
         */
        int n();
    }

    /**
     * Packs {@code b [depth][n]} (row-major from offset 0) for {@link #gather(int, int, int, float[], int[],
     * int[], Packed, int, float[], int[])}.
     *
     * @param b     the matrix
     * @param depth its rows, {@code >= 0}
     * @param n     its columns, {@code >= 0}
     * @return the packed copy
     * @throws IllegalArgumentException if a size is negative or {@code b} is shorter than {@code depth·n}
     */
    Packed pack(float[] b, int depth, int n);

    /**
     * {@link #gather} with the right operand taken from rows {@code [bRow, bRow + taps.length·k)} of a packed
     * matrix: {@code out[outRows[i] + j] = Σ_t Σ_c a[aRows[i] + taps[t] + c] · b[bRow + t·k + c][j]}, in the
     * same order (taps ascending, channels ascending within a tap, from 0), so it gives the same bits as
     * {@link #gather} on those rows. It may run on the calling thread only when called from a pool task.
     *
     * @param m       the number of output rows, {@code >= 0}
     * @param n       the number of output columns per row; must equal {@code b.n()}
     * @param k       the number of channels read per tap, {@code >= 0}
     * @param a       the gathered operand
     * @param aRows   for each row {@code i < m}, the offset in {@code a} of that row's window
     * @param taps    the offset of each kernel tap within a window
     * @param b       the packed right operand, from this implementation's {@link #pack}
     * @param bRow    the first row of {@code b} used, {@code bRow + taps.length·k <= b.depth()}
     * @param out     the output; the {@code m} rows given by {@code outRows} are overwritten
     * @param outRows for each row {@code i < m}, the offset in {@code out} of that row's first column
     * @throws IllegalArgumentException as {@link #gather}, or if {@code b} came from another implementation
     *         or its rows do not cover {@code [bRow, bRow + taps.length·k)}
     */
    void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, Packed b, int bRow, float[] out, int[] outRows);

    /**
     * {@link #gather(int, int, int, float[], int[], int[], Packed, int, float[], int[])} as tasks not run yet,
     * so that a caller can run them in one job with independent work ({@link Parallel#forEach(TaskList...)});
     * running them all gives the same bits. The arguments are checked now, nothing is written until the tasks
     * run. The default is one task that makes the call.
     *
     * @param m       the number of output rows, {@code >= 0}
     * @param n       the number of output columns per row; must equal {@code b.n()}
     * @param k       the number of channels read per tap, {@code >= 0}
     * @param a       the gathered operand
     * @param aRows   for each row {@code i < m}, the offset in {@code a} of that row's window
     * @param taps    the offset of each kernel tap within a window
     * @param b       the packed right operand, from this implementation's {@link #pack}
     * @param bRow    the first row of {@code b} used
     * @param out     the output; the {@code m} rows given by {@code outRows} are overwritten when the tasks run
     * @param outRows for each row {@code i < m}, the offset in {@code out} of that row's first column
     * @return the tasks
     * @throws IllegalArgumentException as {@link #gather(int, int, int, float[], int[], int[], Packed, int, float[], int[])}
     */
    default TaskList gatherTasks(int m, int n, int k, float[] a, int[] aRows, int[] taps, Packed b, int bRow, float[] out,
                                 int[] outRows) {
        ImplicitGemmChecks.gather(m, n, k, a, aRows, taps, b, bRow, out, outRows);
        return new TaskList(1, t -> gather(m, n, k, a, aRows, taps, b, bRow, out, outRows));
    }

    /**
     * {@code out[(t·k + c)·n + j] = Σ_i a[aRows[i] + taps[t] + c] · b[bRows[i] + j]} for every tap
     * {@code t}, {@code c < k}, {@code j < n}: the sum over {@code i < m} in ascending order, starting from
     * 0. This is the gathered operand transposed times {@code b}, the weight gradient of a convolution;
     * {@code out} is {@code [taps.length][k][n]} and is overwritten.
     *
     * @param m     the number of rows summed over (output pixels), {@code >= 0}
     * @param n     the number of columns of {@code b} per row (output channels), {@code >= 0}
     * @param k     the number of channels read per tap, {@code >= 0}
     * @param a     the gathered operand (a padded channels-last image)
     * @param aRows for each row {@code i < m}, the offset in {@code a}, in floats, of that row's window
     * @param taps  the offset, in floats, of each kernel tap within a window; added to {@code aRows[i]}
     * @param b     the right operand (an output gradient)
     * @param bRows for each row {@code i < m}, the offset in {@code b}, in floats, of that row's {@code n} values
     * @param out   the product, {@code [taps.length][k][n]} row-major from offset 0, overwritten
     * @throws IllegalArgumentException if a size is negative, a table is shorter than {@code m}, {@code out}
     *         is too short, or an offset would fall outside its array (see {@link ImplicitGemmChecks})
     */
    void gatherTransposed(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows, float[] out);

    /**
     * {@link #gatherTransposed} as tasks not run yet, so that a caller can run them in one job with
     * independent work ({@link Parallel#forEach(TaskList...)}); running them all gives the same bits as
     * {@link #gatherTransposed}. The arguments are checked now, nothing is written until the tasks run.
     * The default is one task that makes the call.
     *
     * @param m     the number of rows summed over, {@code >= 0}
     * @param n     the number of columns of {@code b} per row, {@code >= 0}
     * @param k     the number of channels read per tap, {@code >= 0}
     * @param a     the gathered operand
     * @param aRows for each row {@code i < m}, the offset in {@code a} of that row's window
     * @param taps  the offset of each kernel tap within a window
     * @param b     the right operand
     * @param bRows for each row {@code i < m}, the offset in {@code b} of that row's {@code n} values
     * @param out   the product, {@code [taps.length][k][n]}, overwritten when the tasks run
     * @return the tasks
     * @throws IllegalArgumentException as {@link #gatherTransposed}
     */
    default TaskList gatherTransposedTasks(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows,
                                           float[] out) {
        ImplicitGemmChecks.gatherTransposed(m, n, k, a, aRows, taps, b, bRows, out);
        return new TaskList(1, t -> gatherTransposed(m, n, k, a, aRows, taps, b, bRows, out));
    }
}
