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
 * <p>Calls are serialized on one lock. jblas copies each whole Java array into native memory and back
 * on every call, so two concurrent calls that write disjoint parts of one shared C array would each
 * copy back their stale view of the other's part and lose its results. Its OpenBLAS is single-threaded
 * anyway, so serializing costs little parallelism.
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
        synchronized (LOCK) {
            NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k,
                    alpha, b, bOff, ldb, a, aOff, lda, beta, c, cOff, ldc);
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
