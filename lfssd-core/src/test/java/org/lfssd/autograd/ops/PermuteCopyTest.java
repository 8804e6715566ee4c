package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

class PermuteCopyTest {

    /** Every permutation of a rank-4 tensor, on a window of a larger array, equals Tensor.permute. */
    @Test
    void matchesTensorPermuteForEveryPermutationOfRank4() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor big = Tensor.randn(rng, 0f, 1f, 3, 2, 3, 4, 5);
        Tensor x = big.sliceBatch(1, 2).reshape(2, 3, 4, 5); // offset > 0
        int[][] perms = permutations(4);
        for (int[] p : perms) {
            Tensor want = x.permute(p);
            Tensor got = PermuteCopy.permute(x, p);
            assertArrayEquals(want.shape(), got.shape(), java.util.Arrays.toString(p));
            assertArrayEquals(want.toArray(), got.toArray(), java.util.Arrays.toString(p));
        }
    }

    /** The ViT attention layouts, large enough for several parallel tasks, on 1 and 2 threads. */
    @Test
    void attentionLayoutsOnOneAndTwoThreads() {
        SplittableRandom rng = new SplittableRandom(6);
        Tensor qkv = Tensor.randn(rng, 0f, 1f, 2, 65, 3, 3, 64);
        Tensor heads = Tensor.randn(rng, 0f, 1f, 2, 3, 65, 64);
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                assertArrayEquals(qkv.permute(2, 0, 3, 1, 4).toArray(), PermuteCopy.permute(qkv, 2, 0, 3, 1, 4).toArray());
                assertArrayEquals(heads.transpose(1, 2).toArray(), PermuteCopy.transpose(heads, 1, 2).toArray());
                assertArrayEquals(heads.transpose(-1, -2).toArray(), PermuteCopy.transpose(heads, -1, -2).toArray());
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void lowRanksAndNegativeDims() {
        Tensor v = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        assertArrayEquals(v.toArray(), PermuteCopy.permute(v, 0).toArray());
        Tensor m = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, PermuteCopy.permute(m, -1, -2).toArray());
        assertArrayEquals(new int[] {3, 2}, PermuteCopy.transpose(m, 0, 1).shape());
    }

    @Test
    void rejectsBadDims() {
        Tensor m = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> PermuteCopy.permute(m, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PermuteCopy.permute(m, 0));
        assertThrows(IllegalArgumentException.class, () -> PermuteCopy.permute(m, 0, 2));
    }

    private static int[][] permutations(int n) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] cur, boolean[] used, int at, java.util.List<int[]> out) {
        if (at == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[at] = i;
                permute(cur, used, at + 1, out);
                used[i] = false;
            }
        }
    }
}
