package org.lfssd.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;

/** {@link Tensor#permute} and {@link Tensor#transpose} against a naive element-by-element reference. */
class TensorPermuteTest {

    /** Output element {@code i} read by decoding its multi-index and re-encoding it in the input's strides. */
    private static float[] naivePermute(Tensor x, int... perm) {
        int[] shape = x.shape();
        int rank = shape.length;
        int[] strides = Shapes.strides(shape);
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = shape[perm[d]];
        }
        float[] out = new float[x.numel()];
        for (int i = 0; i < out.length; i++) {
            int rest = i;
            int src = 0;
            for (int d = rank - 1; d >= 0; d--) {
                src += (rest % outShape[d]) * strides[perm[d]];
                rest /= outShape[d];
            }
            out[i] = x.data()[x.offset() + src];
        }
        return out;
    }


    /** Every permutation of a rank-4 tensor, on a window of a larger array (offset > 0). */
    @Test
    void everyPermutationOfRank4MatchesTheReference() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor big = Tensor.randn(rng, 0f, 1f, 3, 2, 3, 4, 5);
        Tensor x = big.sliceBatch(1, 2).reshape(2, 3, 4, 5); // offset > 0
        int[][] perms = permutations(4);
        for (int[] p : perms) {
            Tensor got = x.permute(p);
            int[] wantShape = new int[4];
            for (int d = 0; d < 4; d++) {
                wantShape[d] = x.size(p[d]);
            }
            assertArrayEquals(wantShape, got.shape(), java.util.Arrays.toString(p));
            assertArrayEquals(naivePermute(x, p), got.toArray(), java.util.Arrays.toString(p));
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
                assertArrayEquals(naivePermute(qkv, 2, 0, 3, 1, 4), qkv.permute(2, 0, 3, 1, 4).toArray());
                assertArrayEquals(naivePermute(heads, 0, 2, 1, 3), heads.transpose(1, 2).toArray());
                assertArrayEquals(naivePermute(heads, 0, 1, 3, 2), heads.transpose(-1, -2).toArray());
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void lowRanksAndNegativeDims() {
        Tensor v = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        assertArrayEquals(v.toArray(), v.permute(0).toArray());
        Tensor m = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, m.permute(-1, -2).toArray());
        assertArrayEquals(new int[] {3, 2}, m.transpose(0, 1).shape());
    }

    @Test
    void rejectsBadDims() {
        Tensor m = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> m.permute(0, 0));
        assertThrows(IllegalArgumentException.class, () -> m.permute(0));
        assertThrows(IllegalArgumentException.class, () -> m.permute(0, 2));
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
