package org.lfssd.kernels;

/**
 * Argument checks shared by the {@link ImplicitGemm} implementations: every offset the product will
 * touch is verified up front, so a bad table fails with a message naming it rather than with an
 * {@link ArrayIndexOutOfBoundsException} from a worker thread halfway through the output.
 */
public final class ImplicitGemmChecks {
    private ImplicitGemmChecks() {}

    /**
     * Checks the arguments of {@link ImplicitGemm#gather}: sizes non-negative, {@code aRows} and
     * {@code outRows} at least {@code m} entries, {@code b} at least {@code taps.length*k*n} floats, every
     * window {@code [aRows[i] + min(taps), aRows[i] + max(taps) + k)} inside {@code a} and every output row
     * {@code [outRows[i], outRows[i] + n)} inside {@code out}.
     *
     * @param m       the number of output rows
     * @param n       the number of output columns per row
     * @param k       the number of channels read per tap
     * @param a       the gathered operand
     * @param aRows   the offset in {@code a} of each row's window
     * @param taps    the offset of each tap within a window
     * @param b       the right operand, {@code [taps.length][k][n]}
     * @param out     the output
     * @param outRows the offset in {@code out} of each output row
     * @throws IllegalArgumentException naming the first argument that fails a check
     */
    public static void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, float[] out, int[] outRows) {
        sizes("gather", m, n, k, aRows, taps);
        if (outRows.length < m) {
            throw new IllegalArgumentException("gather: outRows has " + outRows.length + " entries for m=" + m);
        }
        if ((long) taps.length * k * n > b.length) {
            throw new IllegalArgumentException("gather: b has " + b.length + " floats, needs taps*k*n = "
                    + (long) taps.length * k * n);
        }
        window("gather", "a", a.length, aRows, m, taps, k);
        rows("gather", "out", out.length, outRows, m, n);
    }

    /**
     * Checks the arguments of {@link ImplicitGemm#pack}: sizes non-negative and {@code b} at least
     * {@code depth·n} floats.
     *
     * @param b     the matrix
     * @param depth its rows
     * @param n     its columns
     * @throws IllegalArgumentException naming the first argument that fails a check
     */
    public static void pack(float[] b, int depth, int n) {
        if (depth < 0 || n < 0) {
            throw new IllegalArgumentException("pack: negative size depth=" + depth + " n=" + n);
        }
        if ((long) depth * n > b.length) {
            throw new IllegalArgumentException("pack: b has " + b.length + " floats, needs depth*n = " + (long) depth * n);
        }
    }

    /**
     * Checks the arguments of the packed {@link ImplicitGemm#gather(int, int, int, float[], int[], int[],
     * ImplicitGemm.Packed, int, float[], int[])}: as {@link #gather}, with the right operand's rows
     * {@code [bRow, bRow + taps.length·k)} inside the packed matrix and its width equal to {@code n}.
     *
     * @param m       the number of output rows
     * @param n       the number of output columns per row
     * @param k       the number of channels read per tap
     * @param a       the gathered operand
     * @param aRows   the offset in {@code a} of each row's window
     * @param taps    the offset of each tap within a window
     * @param b       the packed right operand
     * @param bRow    its first row used
     * @param out     the output
     * @param outRows the offset in {@code out} of each output row
     * @throws IllegalArgumentException naming the first argument that fails a check
     */
    public static void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, ImplicitGemm.Packed b, int bRow,
                              float[] out, int[] outRows) {
        sizes("gather", m, n, k, aRows, taps);
        if (outRows.length < m) {
            throw new IllegalArgumentException("gather: outRows has " + outRows.length + " entries for m=" + m);
        }
        if (b.n() != n) {
            throw new IllegalArgumentException("gather: the packed operand has " + b.n() + " columns, n=" + n);
        }
        if (bRow < 0 || (long) bRow + (long) taps.length * k > b.depth()) {
            throw new IllegalArgumentException("gather: rows [" + bRow + ", " + ((long) bRow + (long) taps.length * k)
                    + ") lie outside the packed operand's " + b.depth() + " rows");
        }
        window("gather", "a", a.length, aRows, m, taps, k);
        rows("gather", "out", out.length, outRows, m, n);
    }

    /**
     * Checks the arguments of {@link ImplicitGemm#gatherTransposed}: sizes non-negative, {@code aRows} and
     * {@code bRows} at least {@code m} entries, {@code out} at least {@code taps.length*k*n} floats, every
     * window {@code [aRows[i] + min(taps), aRows[i] + max(taps) + k)} inside {@code a} and every row
     * {@code [bRows[i], bRows[i] + n)} inside {@code b}.
     *
     * @param m     the number of rows summed over
     * @param n     the number of columns of {@code b} per row
     * @param k     the number of channels read per tap
     * @param a     the gathered operand
     * @param aRows the offset in {@code a} of each row's window
     * @param taps  the offset of each tap within a window
     * @param b     the right operand
     * @param bRows the offset in {@code b} of each row
     * @param out   the product, {@code [taps.length][k][n]}
     * @throws IllegalArgumentException naming the first argument that fails a check
     */
    public static void gatherTransposed(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows,
                                        float[] out) {
        sizes("gatherTransposed", m, n, k, aRows, taps);
        if (bRows.length < m) {
            throw new IllegalArgumentException("gatherTransposed: bRows has " + bRows.length + " entries for m=" + m);
        }
        if ((long) taps.length * k * n > out.length) {
            throw new IllegalArgumentException("gatherTransposed: out has " + out.length + " floats, needs taps*k*n = "
                    + (long) taps.length * k * n);
        }
        window("gatherTransposed", "a", a.length, aRows, m, taps, k);
        rows("gatherTransposed", "b", b.length, bRows, m, n);
    }

    private static void sizes(String op, int m, int n, int k, int[] aRows, int[] taps) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + " n=" + n + " k=" + k);
        }
        if (aRows.length < m) {
            throw new IllegalArgumentException(op + ": aRows has " + aRows.length + " entries for m=" + m);
        }
    }

    private static void window(String op, String name, int length, int[] rows, int m, int[] taps, int k) {
        if (m == 0 || k == 0 || taps.length == 0) {
            return;
        }
        int minTap = Integer.MAX_VALUE;
        int maxTap = Integer.MIN_VALUE;
        for (int t : taps) {
            minTap = Math.min(minTap, t);
            maxTap = Math.max(maxTap, t);
        }
        for (int i = 0; i < m; i++) {
            long lo = (long) rows[i] + minTap;
            long hi = (long) rows[i] + maxTap + k;
            if (lo < 0 || hi > length) {
                throw new IllegalArgumentException(op + ": row " + i + " of " + name + " reads [" + lo + ", " + hi
                        + ") outside its " + length + " floats");
            }
        }
    }

    private static void rows(String op, String name, int length, int[] rows, int m, int n) {
        for (int i = 0; i < m; i++) {
            if (rows[i] < 0 || (long) rows[i] + n > length) {
                throw new IllegalArgumentException(op + ": row " + i + " of " + name + " at " + rows[i] + " + " + n
                        + " columns lies outside its " + length + " floats");
            }
        }
    }
}
