package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The packed-operand gather gives the same bits as {@link ImplicitGemm#gather} on the same rows of the
 * matrix, for both providers (and so the providers agree with each other), starting at any row; the
 * packed copy does not follow later writes to its source; bad arguments are named.
 */
class ImplicitGemmPackedTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} taps={3} bRow={4}")
    @CsvSource({"1, 1, 1, 1, 0", "13, 17, 5, 3, 4", "37, 64, 13, 2, 26", "25, 128, 16, 1, 48", "9, 45, 70, 2, 7"})
    void packedGatherMatchesGatherOnTheSameRows(int m, int n, int k, int taps, int bRow) {
        SplittableRandom r = new SplittableRandom(m * 7L + n + k);
        int depth = bRow + taps * k + 3;
        float[] matrix = random(r, depth * n);
        float[] a = random(r, 400 + m * 5 + taps * 10 + k);
        int[] aRows = new int[m];
        int[] outRows = new int[m];
        for (int i = 0; i < m; i++) {
            aRows[i] = r.nextInt(300 + m * 5);
            outRows[i] = (m - 1 - i) * n;
        }
        int[] tapOffsets = new int[taps];
        for (int t = 0; t < taps; t++) {
            tapOffsets[t] = t * 10;
        }
        float[] rows = java.util.Arrays.copyOfRange(matrix, bRow * n, (bRow + taps * k) * n);
        ImplicitGemm scalar = new ScalarImplicitGemm();
        float[] expected = new float[m * n];
        scalar.gather(m, n, k, a, aRows, tapOffsets, rows, expected, outRows);

        ImplicitGemm[] gemms = Kernels.vectorModuleReadable()
                ? new ImplicitGemm[] {scalar, FastKernels.vectorProvider().implicitGemm()}
                : new ImplicitGemm[] {scalar};
        for (ImplicitGemm g : gemms) {
            float[] source = matrix.clone();
            ImplicitGemm.Packed packed = g.pack(source, depth, n);
            java.util.Arrays.fill(source, 7f); // the packed copy is the matrix as it was
            float[] out = new float[m * n];
            g.gather(m, n, k, a, aRows, tapOffsets, packed, bRow, out, outRows);
            assertArrayEquals(expected, out, g.name());
        }
    }

    @Test
    void badPackedArgumentsAreNamed() {
        ImplicitGemm scalar = new ScalarImplicitGemm();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scalar.pack(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("needs depth*n = 6"), e.getMessage());
        ImplicitGemm.Packed p = scalar.pack(new float[12], 4, 3);
        e = assertThrows(IllegalArgumentException.class,
                () -> scalar.gather(1, 3, 2, new float[10], new int[] {0}, new int[] {0, 2}, p, 1, new float[3], new int[] {0}));
        assertTrue(e.getMessage().contains("rows [1, 5) lie outside the packed operand's 4 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> scalar.gather(1, 2, 2, new float[10], new int[] {0}, new int[] {0}, p, 0, new float[3], new int[] {0}));
        assertTrue(e.getMessage().contains("has 3 columns, n=2"), e.getMessage());
        ImplicitGemm.Packed foreign = new ImplicitGemm.Packed() {
            @Override
            public int depth() {
                return 4;
            }

            @Override
            public int n() {
                return 3;
            }
        };
        e = assertThrows(IllegalArgumentException.class,
                () -> scalar.gather(1, 3, 2, new float[10], new int[] {0}, new int[] {0}, foreign, 0, new float[3], new int[] {0}));
        assertTrue(e.getMessage().contains("was not made by scalar-implicit"), e.getMessage());
    }
}
