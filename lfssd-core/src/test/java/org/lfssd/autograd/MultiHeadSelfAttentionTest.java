package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * {@link F#multiHeadSelfAttention} on a packed {@code [B, N, 3·H·d]} qkv against timm's composition
 * (reshape to {@code [B,N,3,H,d]}, permute to {@code [3,B,H,N,d]}, attention per head, transpose and
 * reshape back), which the torch fixtures check: the fused op runs the same GEMMs on the same values,
 * only read through other leading dimensions, so the outputs and gradients must be bit-identical.
 */
class MultiHeadSelfAttentionTest {

    private static Var composite(Var qkv, int heads) {
        int b = qkv.size(0);
        int n = qkv.size(1);
        int c = qkv.size(2) / 3;
        Var p = F.permute(F.reshape(qkv, b, n, 3, heads, c / heads), 2, 0, 3, 1, 4);
        Var o = F.scaledDotProductAttention(F.select(p, 0, 0), F.select(p, 0, 1), F.select(p, 0, 2));
        return F.reshape(F.transpose(o, 1, 2), b, n, c);
    }

    private static float[][] run(boolean fused, int b, int n, int heads, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Var qkv = Var.param(Tensor.randn(rng, 0f, 1f, b, n, 3 * heads * d));
        Tensor g = Tensor.randn(rng, 0f, 1f, b, n, heads * d);
        Var o = fused ? F.multiHeadSelfAttention(qkv, heads) : composite(qkv, heads);
        o.backward(g);
        return new float[][] {o.value().toArray(), qkv.grad().toArray()};
    }

    @Test
    void bitIdenticalToTheComposition() {
        // odd token counts and head widths, one and several images and heads
        int[][] cases = {{1, 1, 1, 4}, {2, 5, 3, 4}, {3, 17, 2, 7}, {2, 65, 3, 64}};
        for (int[] c : cases) {
            float[][] want = run(false, c[0], c[1], c[2], c[3], 11);
            float[][] got = run(true, c[0], c[1], c[2], c[3], 11);
            String name = "B=" + c[0] + " N=" + c[1] + " H=" + c[2] + " d=" + c[3];
            assertArrayEquals(want[0], got[0], name + " output");
            assertArrayEquals(want[1], got[1], name + " qkv gradient");
        }
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(3);
        GradCheck.check("multiHeadSelfAttention", x -> F.multiHeadSelfAttention(x[0], 2),
                Tensor.randn(rng, 0f, 1f, 2, 5, 3 * 2 * 3));
    }

    @Test
    void bitIdenticalForOneAndTwoThreads() {
        int saved = Parallel.threads();
        float[][][] runs = new float[2][][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                runs[t - 1] = run(true, 4, 197, 3, 64, 5);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        assertArrayEquals(runs[0][0], runs[1][0], "output");
        assertArrayEquals(runs[0][1], runs[1][1], "gradient");
    }

    @Test
    void rejectsBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.multiHeadSelfAttention(Var.constant(Tensor.zeros(2, 5, 10)), 2));
        assertTrue(e.getMessage().contains("multiHeadSelfAttention") && e.getMessage().contains("[2, 5, 10]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.multiHeadSelfAttention(Var.constant(Tensor.zeros(5, 12)), 2));
        assertThrows(IllegalArgumentException.class, () -> F.multiHeadSelfAttention(Var.constant(Tensor.zeros(1, 5, 12)), 0));
    }
}
