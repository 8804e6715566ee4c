package org.lfssd.kernels;

/**
 * The reference {@link ImplicitGemm}: the definitions as loops, one {@link Math#fma} per term in the
 * specified order, so the SIMD implementation must agree with it bit for bit. Rows (or, for the
 * transposed product, taps) are spread over the pool; each output element is still summed by one thread
 * in the fixed order, so the thread count cannot change a result.
 */
final class ScalarImplicitGemm implements ImplicitGemm {
    /** Output rows per parallel task. */
    private static final int ROWS_PER_TASK = 64;

    @Override
    public String name() {
        return "scalar-implicit";
    }

    @Override
    public void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, float[] out, int[] outRows) {
        ImplicitGemmChecks.gather(m, n, k, a, aRows, taps, b, out, outRows);
        gatherRows(m, n, k, a, aRows, taps, b, 0, out, outRows);
    }

    /** The reference keeps the matrix as it is: its loops read row-major {@code [depth][n]} directly. */
    private record RowMajor(float[] b, int depth, int n) implements Packed {}

    @Override
    public Packed pack(float[] b, int depth, int n) {
        ImplicitGemmChecks.pack(b, depth, n);
        return new RowMajor(java.util.Arrays.copyOf(b, depth * n), depth, n);
    }

    @Override
    public void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, Packed b, int bRow, float[] out,
                       int[] outRows) {
        if (!(b instanceof RowMajor p)) {
            throw new IllegalArgumentException("gather: the packed operand " + b.getClass().getName()
                    + " was not made by " + name());
        }
        ImplicitGemmChecks.gather(m, n, k, a, aRows, taps, b, bRow, out, outRows);
        gatherRows(m, n, k, a, aRows, taps, p.b(), bRow * n, out, outRows);
    }

    /** The definition, with the right operand's tap {@code t}, channel {@code c} at {@code b[b0 + (t·k + c)·n]}. */
    private static void gatherRows(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int b0, float[] out,
                                   int[] outRows) {
        Parallel.forRange(m, ROWS_PER_TASK, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int row = outRows[i];
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int t = 0; t < taps.length; t++) {
                        int at = aRows[i] + taps[t];
                        int bt = b0 + t * k * n + j;
                        for (int c = 0; c < k; c++) {
                            s = Math.fma(a[at + c], b[bt + c * n], s);
                        }
                    }
                    out[row + j] = s;
                }
            }
        });
    }

    @Override
    public void gatherTransposed(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows, float[] out) {
        ImplicitGemmChecks.gatherTransposed(m, n, k, a, aRows, taps, b, bRows, out);
        Parallel.forEach(taps.length, t -> {
            int tap = taps[t];
            for (int c = 0; c < k; c++) {
                int o = (t * k + c) * n;
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int i = 0; i < m; i++) {
                        s = Math.fma(a[aRows[i] + tap + c], b[bRows[i] + j], s);
                    }
                    out[o + j] = s;
                }
            }
        });
    }
}
