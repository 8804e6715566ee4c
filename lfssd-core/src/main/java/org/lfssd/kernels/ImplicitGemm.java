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

    /** Short name for logs. */
    String name();

    /**
     * {@code out[outRows[i] + j] = Σ_t Σ_c a[aRows[i] + taps[t] + c] · b[(t·k + c)·n + j]} for
     * {@code i < m}, {@code j < n}: taps in ascending order, channels {@code c < k} ascending within a tap,
     * starting from 0. {@code b} is {@code [taps.length][k][n]} row-major. With no taps, the rows are zeroed.
     */
    void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, float[] out, int[] outRows);

    /**
     * {@code out[(t·k + c)·n + j] = Σ_i a[aRows[i] + taps[t] + c] · b[bRows[i] + j]} for every tap
     * {@code t}, {@code c < k}, {@code j < n}: the sum over {@code i < m} in ascending order, starting from
     * 0. This is the gathered operand transposed times {@code b}, the weight gradient of a convolution;
     * {@code out} is {@code [taps.length][k][n]} and is overwritten.
     */
    void gatherTransposed(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows, float[] out);
}
