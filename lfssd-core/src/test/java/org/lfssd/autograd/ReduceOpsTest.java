package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

class ReduceOpsTest {

    /** [2,3,2] with x[i][j][k] = 100i + 10j + k. */
    private static Tensor indexed() {
        float[] v = new float[12];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 2; k++) {
                    v[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        return Tensor.fromArray(v, 2, 3, 2);
    }

    @Test
    void sumAndMeanOfAllElementsAreRankZero() {
        Var x = Var.constant(indexed());
        Var s = F.sum(x);
        assertEquals(0, s.dim());
        assertArrayEquals(new int[0], s.shape());
        assertEquals(6 * 100 + 4 * 30 + 6 * 1, s.value().item()); // 600 + 120 + 6
        Var m = F.mean(x);
        assertEquals(0, m.dim());
        assertEquals(726f / 12, m.value().item());
    }

    @Test
    void sumOverDimensionsWithAndWithoutKeepDim() {
        Var x = Var.constant(indexed());
        Var overJ = F.sum(x, new int[] {1}, false);
        assertArrayEquals(new int[] {2, 2}, overJ.shape());
        assertArrayEquals(new float[] {30, 33, 330, 333}, overJ.value().toArray());
        Var overJKept = F.sum(x, new int[] {-2}, true);
        assertArrayEquals(new int[] {2, 1, 2}, overJKept.shape());
        assertArrayEquals(new float[] {30, 33, 330, 333}, overJKept.value().toArray());
        Var overIK = F.sum(x, new int[] {2, 0}, false);
        assertArrayEquals(new int[] {3}, overIK.shape());
        assertArrayEquals(new float[] {202, 242, 282}, overIK.value().toArray());
        Var overAll = F.sum(x, new int[] {0, 1, 2}, false);
        assertArrayEquals(new int[0], overAll.shape());
        assertEquals(726f, overAll.value().item());
        Var overAllKept = F.sum(x, new int[] {0, 1, 2}, true);
        assertArrayEquals(new int[] {1, 1, 1}, overAllKept.shape());
    }

    @Test
    void meanOverDimensions() {
        Var x = Var.constant(indexed());
        assertArrayEquals(new float[] {10, 11, 110, 111}, F.mean(x, new int[] {1}, false).value().toArray());
        assertArrayEquals(new float[] {0.5f, 10.5f, 20.5f, 100.5f, 110.5f, 120.5f},
                F.mean(x, new int[] {-1}, true).value().toArray());
        assertArrayEquals(new int[] {2, 3, 1}, F.mean(x, new int[] {-1}, true).shape());
    }

    @Test
    void reducingASizeOneDimensionCopiesInsteadOfAliasing() {
        Tensor t = Tensor.fromArray(new float[] {1, 2, 3}, 1, 3);
        Var s = F.sum(Var.constant(t), new int[] {0}, false);
        assertArrayEquals(new float[] {1, 2, 3}, s.value().toArray());
        assertNotSame(t.data(), s.value().data());
    }

    @Test
    void keptSizeOneDimensionsAreNotDropped() {
        Var x = Var.constant(Tensor.ones(2, 1, 3));
        assertArrayEquals(new int[] {1, 3}, F.sum(x, new int[] {0}, false).shape());
        assertArrayEquals(new int[] {2, 1}, F.sum(x, new int[] {2}, false).shape());
    }

    @Test
    void badDimensionsAreRejectedWithTheOpName() {
        Var x = Var.constant(Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.sum(x, new int[] {0, -2}, false));
        assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("repeated"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.mean(x, new int[] {2}, false));
        assertTrue(e.getMessage().contains("mean"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.sum(x, new int[0], false));
        assertThrows(IllegalArgumentException.class, () -> F.mean(Var.constant(Tensor.zeros(0, 3))));
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = Tensor.uniform(rng, -1f, 1f, 3, 4, 5);
        GradCheck.check("sum all", v -> F.sum(v[0]), x);
        GradCheck.check("mean all", v -> F.mean(v[0]), x);
        int[][] dimSets = {{0}, {1}, {-1}, {0, 2}, {1, 2}, {0, 1, 2}};
        for (int[] dims : dimSets) {
            for (boolean keep : new boolean[] {false, true}) {
                String tag = Arrays.toString(dims) + " keepDim=" + keep;
                GradCheck.check("sum " + tag, v -> F.sum(v[0], dims, keep), x);
                GradCheck.check("mean " + tag, v -> F.mean(v[0], dims, keep), x);
            }
        }
        Tensor scalar = Tensor.full(0.3f);
        GradCheck.check("sum of rank 0", v -> F.sum(v[0]), scalar);
        GradCheck.check("mean of rank 0", v -> F.mean(v[0]), scalar);
    }

    @Test
    void meanGradientIsOneOverCount() {
        Var x = Var.param(Tensor.ones(2, 4));
        F.sum(F.mean(x, new int[] {1}, false)).backward();
        float[] quarter = new float[8];
        Arrays.fill(quarter, 0.25f);
        assertArrayEquals(quarter, x.grad().toArray());
    }

    @Test
    void largeReductionsAreBitIdenticalForOneAndTwoThreads() {
        // Values of mixed magnitude so that a different summation order would show in the low bits.
        SplittableRandom rng = new SplittableRandom(8);
        Tensor x = Tensor.zeros(32, 16, 24, 24);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(5)));
        }
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = reductions(x);
            Parallel.setThreads(2);
            float[][] two = reductions(x);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "reduction " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[][] reductions(Tensor x) {
        Var v = Var.constant(x);
        return new float[][] {
            F.sum(v).value().toArray(),
            F.mean(v).value().toArray(),
            F.sum(v, new int[] {0, 2, 3}, false).value().toArray(),
            F.sum(v, new int[] {0, 1}, false).value().toArray(),
            F.mean(v, new int[] {2, 3}, true).value().toArray(),
        };
    }
}
