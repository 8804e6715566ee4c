package org.lfssd.kernels;

/**
 * The reference GEMM: plain loops, one thread, the definition of correct for the fast ones.
 * Each {@code C[i][j]} accumulates its k products in ascending k in float, then is scaled and added to
 * {@code beta * C}. The i-p-j loop order keeps the inner loop contiguous for the common
 * non-transposed case.
 */
public final class ScalarGemm implements Gemm {

    @Override
    public String name() {
        return "java-scalar";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bRow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * b[bRow + j];
                    }
                }
            }
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[cRow + j] = beta == 0f ? alpha * row[j] : alpha * row[j] + beta * c[cRow + j];
            }
        }
    }
}
