package org.lfssd.kernels.jblas;

import org.jblas.NativeBlas;
import org.lfssd.kernels.Gemm;

/**
 * GEMM through jblas's native BLAS (a bundled OpenBLAS), for row-major arrays.
 *
 * <p>BLAS is column-major, and a row-major {@code r x c} matrix with row stride {@code ld} is exactly a
 * column-major {@code c x r} matrix with leading dimension {@code ld}, i.e. its transpose. So the
 * row-major {@code C = op(A) op(B)} is computed as the column-major {@code C^T = op(B)^T op(A)^T}: the
 * operands swap places and keep their own transpose flags.
 *
 * <p>jblas copies each whole Java array it is given into native memory and back on every call, inputs
 * included. Handed our arrays directly, a call would write back a stale copy of every element around its
 * own operands, undoing whatever another thread wrote there meanwhile: attention, for one, runs one GEMM
 * per head into one shared score array while other heads run their softmax in it. So each operand window
 * is first copied into a private compact array (unless it already is its whole array), and only C's
 * {@code m x n} window is copied back. The native call itself is serialized on one lock: the bundled
 * OpenBLAS is a single-threaded build, not meant to be entered concurrently.
 *
 * <p>Facts measured on an AVX-512 (Sapphire Rapids) host: the bundled OpenBLAS misdetects the CPU and
 * runs its SSE3 kernels unless the environment has {@code OPENBLAS_CORETYPE=SkylakeX}; it needs
 * {@code libgfortran5} installed. {@link #probe()} finds out whether it loads at all.
 */
public final class JblasGemm implements Gemm {
    private static final Object LOCK = new Object();

    private JblasGemm() {}

    /**
     * Loads jblas's native library and checks one tiny product against the known answer.
     *
     * @return a ready GEMM
     * @throws IllegalStateException saying why jblas is unusable (native library missing or not
     *         loadable, or a wrong result)
     */
    public static Gemm probe() {
        JblasGemm gemm = new JblasGemm();
        // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]; transB exercises the operand swap as well.
        float[] a = {1, 2, 3, 4};
        float[] bT = {5, 7, 6, 8};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        try {
            gemm.sgemm(false, true, 2, 2, 2, 1f, a, 0, 2, bT, 0, 2, 0f, c, 0, 2);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new IllegalStateException("jblas native sgemm could not be loaded: " + e, e);
        }
        if (c[0] != 19f || c[1] != 22f || c[2] != 43f || c[3] != 50f) {
            throw new IllegalStateException("jblas sgemm probe gave a wrong result " + java.util.Arrays.toString(c)
                    + " for [[1,2],[3,4]] x [[5,6],[7,8]]");
        }
        return gemm;
    }

    @Override
    public String name() {
        return "jblas";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // BLAS would do the same, but some builds reject the leading dimensions of empty operands.
            scale(beta, c, cOff, ldc, m, n);
            return;
        }
        Window wa = Window.of(a, aOff, lda, transA ? k : m, transA ? m : k, true);
        Window wb = Window.of(b, bOff, ldb, transB ? n : k, transB ? k : n, true);
        Window wc = Window.of(c, cOff, ldc, m, n, beta != 0f); // beta = 0: C is not read, as in BLAS
        synchronized (LOCK) {
            NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k,
                    alpha, wb.data, wb.off, wb.ld, wa.data, wa.off, wa.ld, beta, wc.data, wc.off, wc.ld);
        }
        wc.store(c, cOff, ldc);
    }

    /**
     * A matrix window as jblas will see it: the caller's own array when the window is the whole array,
     * otherwise a private compact copy ({@code ld = cols}).
     */
    private static final class Window {
        final float[] data;
        final int off;
        final int ld;
        private final int rows;
        private final int cols;
        private final boolean shared;

        private Window(float[] data, int off, int ld, int rows, int cols, boolean shared) {
            this.data = data;
            this.off = off;
            this.ld = ld;
            this.rows = rows;
            this.cols = cols;
            this.shared = shared;
        }

        /** The array itself when the window is all of it; otherwise a private copy, filled if {@code load}. */
        static Window of(float[] x, int off, int ld, int rows, int cols, boolean load) {
            if (off == 0 && (long) rows * ld == x.length && ld == cols) {
                return new Window(x, 0, ld, rows, cols, true);
            }
            float[] copy = new float[rows * cols];
            Window w = new Window(copy, 0, cols, rows, cols, false);
            if (load) {
                w.load(x, off, ld);
            }
            return w;
        }

        private void load(float[] x, int off, int ldx) {
            if (!shared) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(x, off + r * ldx, data, r * cols, cols);
                }
            }
        }

        void store(float[] x, int off, int ldx) {
            if (!shared) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(data, r * cols, x, off + r * ldx, cols);
                }
            }
        }
    }

    private static void scale(float beta, float[] c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                c[at] = beta == 0f ? 0f : beta * c[at];
            }
        }
    }
}
