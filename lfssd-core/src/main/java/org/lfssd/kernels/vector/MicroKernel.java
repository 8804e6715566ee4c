package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link VectorGemm}: a {@value #MR} x {@code NR} tile of C
 * ({@code NR} = two vectors, 32 floats at 512 bits) kept in 24 vector registers while the k loop streams
 * one packed column of A (broadcast per row) and one packed row of B (two vector loads) per step.
 *
 * <p>Twelve rows is the most that fits: 24 accumulators, two B vectors and one broadcast use 27 of the
 * 32 AVX-512 registers. Fewer rows would spend relatively more on B loads, whose bounds checks the JIT
 * does not remove; more rows would spill. The body is unrolled by hand because the JIT keeps locals,
 * not array elements, in registers.
 *
 * <p>Each C element accumulates its k products in ascending k with one fused multiply-add per step,
 * then is updated as {@code c = fma(alpha, acc, beta * c)}: the same arithmetic whichever tile the element
 * falls in, so edge tiles (whose padded rows and columns are computed and dropped) match interior
 * ones bit for bit.
 */
final class MicroKernel {
    private MicroKernel() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Rows of the C tile. */
    static final int MR = 12;
    /** Columns of the C tile: two vectors. */
    static final int NR = 2 * S.length();
    private static final int L = S.length();

    /**
     * Writes {@code Apanel * Bpanel} into {@code acc} (row-major, {@code MR x NR}), where the A panel holds,
     * for each of {@code kc} steps, {@code MR} consecutive values (one per row), each step {@code aStep}
     * floats after the previous one, and the B panel {@code NR} consecutive values (one per column).
     *
     * <p>A packed panel has {@code aStep == MR}. A transposed A (stored {@code k x m}, row-major) already
     * holds one step's {@code MR} values as consecutive floats of a stored row, {@code lda} floats before the
     * next step's, so {@link VectorGemm} reads it where it lies with {@code aStep == lda}. The stride as a
     * parameter costs the packed case nothing: on L1-resident panels this kernel at {@code aStep == MR} ran
     * 4-11 % faster than a copy with the constant {@code MR}, whichever of the two ran first
     * (lfssd-bench/results/vit-unpacked-a-2026-12-02.md, addendum).
     *
     * <p>The tile goes out to memory rather than straight into C because the JIT inlines only so much into
     * one method: with the C update here as well, it stopped inlining the vector operations, and vectors
     * that are not inlined are boxed, which is slower by two orders of magnitude.
     */
    static void multiply(int kc, float[] ap, int ao, int aStep, float[] bp, int bo, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z;
        FloatVector c1a = z, c1b = z;
        FloatVector c2a = z, c2b = z;
        FloatVector c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z;
        FloatVector c5a = z, c5b = z;
        FloatVector c6a = z, c6b = z;
        FloatVector c7a = z, c7b = z;
        FloatVector c8a = z, c8b = z;
        FloatVector c9a = z, c9b = z;
        FloatVector c10a = z, c10b = z;
        FloatVector c11a = z, c11b = z;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * aStep;
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[a + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[a + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[a + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[a + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, ap[a + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, ap[a + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, ap[a + 8]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, ap[a + 9]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, ap[a + 10]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, ap[a + 11]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
        }
        c0a.intoArray(acc, 0 * L);
        c0b.intoArray(acc, 1 * L);
        c1a.intoArray(acc, 2 * L);
        c1b.intoArray(acc, 3 * L);
        c2a.intoArray(acc, 4 * L);
        c2b.intoArray(acc, 5 * L);
        c3a.intoArray(acc, 6 * L);
        c3b.intoArray(acc, 7 * L);
        c4a.intoArray(acc, 8 * L);
        c4b.intoArray(acc, 9 * L);
        c5a.intoArray(acc, 10 * L);
        c5b.intoArray(acc, 11 * L);
        c6a.intoArray(acc, 12 * L);
        c6b.intoArray(acc, 13 * L);
        c7a.intoArray(acc, 14 * L);
        c7b.intoArray(acc, 15 * L);
        c8a.intoArray(acc, 16 * L);
        c8b.intoArray(acc, 17 * L);
        c9a.intoArray(acc, 18 * L);
        c9b.intoArray(acc, 19 * L);
        c10a.intoArray(acc, 20 * L);
        c10b.intoArray(acc, 21 * L);
        c11a.intoArray(acc, 22 * L);
        c11b.intoArray(acc, 23 * L);
    }

    /**
     * {@code C = alpha * acc + beta * C} for a full tile of C, as {@code fma(alpha, acc, beta * C)}; with
     * {@code beta == 0} C is only written ({@code alpha * acc}), with {@code beta == 1} it is
     * {@code fma(alpha, acc, C)}. The driver passes the caller's beta for the first k slice and 1 after,
     * so C is read and written once per k slice and never in a separate scaling pass.
     */
    static void update(float[] acc, float alpha, float beta, float[] c, int co, int ldc) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int r = 0; r < MR; r++) {
            for (int v = 0; v < NR; v += L) {
                int at = co + r * ldc + v;
                FloatVector x = FloatVector.fromArray(S, acc, r * NR + v);
                if (beta == 0f) {
                    x.mul(va).intoArray(c, at);
                } else if (beta == 1f) {
                    x.fma(va, FloatVector.fromArray(S, c, at)).intoArray(c, at);
                } else {
                    x.fma(va, FloatVector.fromArray(S, c, at).mul(beta)).intoArray(c, at);
                }
            }
        }
    }

    /**
     * The same update for the {@code rows x cols} corner of the tile that lies inside C; {@link Math#fma}
     * and float products round exactly as the lane operations, so edge elements get the same bits as
     * interior ones.
     */
    static void updateEdge(float[] acc, float alpha, float beta, float[] c, int co, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int at = co + r * ldc + j;
                float x = acc[r * NR + j];
                if (beta == 0f) {
                    c[at] = alpha * x;
                } else if (beta == 1f) {
                    c[at] = Math.fma(alpha, x, c[at]);
                } else {
                    c[at] = Math.fma(alpha, x, c[at] * beta);
                }
            }
        }
    }
}
