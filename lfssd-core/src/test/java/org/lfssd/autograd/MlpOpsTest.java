package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/** The fused transformer MLP against its composition, central differences, and itself on one and two threads. */
class MlpOpsTest {

    /** x, w1, b1, w2, b2 and an upstream gradient, ViT-like but small: 3 x 67 tokens, 48 -> 192 -> 48. */
    private static Tensor[] inputs(long seed, int batch, int tokens, int in, int hidden) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Tensor[] {
            Tensor.randn(rng, 0f, 1f, batch, tokens, in),
            Tensor.randn(rng, 0f, 0.2f, hidden, in),
            Tensor.randn(rng, 0f, 0.2f, hidden),
            Tensor.randn(rng, 0f, 0.2f, in, hidden),
            Tensor.randn(rng, 0f, 0.2f, in),
            Tensor.randn(rng, 0f, 1f, batch, tokens, in)};
    }

    /** Output and the five gradients, fused or as linear(linearGelu(...)). */
    private static float[][] run(Tensor[] t, boolean fused) {
        Var[] p = new Var[5];
        for (int i = 0; i < 5; i++) {
            p[i] = Var.param(t[i].copy());
        }
        Var y = fused ? F.mlp(p[0], p[1], p[2], p[3], p[4]) : F.linear(F.linearGelu(p[0], p[1], p[2]), p[3], p[4]);
        y.backward(t[5]);
        float[][] r = new float[6][];
        r[0] = y.value().toArray();
        for (int i = 0; i < 5; i++) {
            r[i + 1] = p[i].grad().toArray();
        }
        return r;
    }

    private static final String[] NAMES = {"output", "dx", "dw1", "db1", "dw2", "db2"};

    /** Same GEMM calls, epilogue and sums as the composition: the same bits (jblas: float rounding only). */
    @Test
    void bitIdenticalToTheComposition() {
        Tensor[] t = inputs(21, 3, 67, 48, 192);
        float[][] fused = run(t, true);
        float[][] composed = run(t, false);
        boolean jblas = Kernels.gemm().name().equals("jblas");
        for (int i = 0; i < NAMES.length; i++) {
            if (!jblas) {
                assertArrayEquals(composed[i], fused[i], NAMES[i]);
            } else {
                for (int j = 0; j < fused[i].length; j++) {
                    assertEquals(composed[i][j], fused[i][j], 1e-5 + 1e-5 * Math.abs(composed[i][j]), NAMES[i] + " " + j);
                }
            }
        }
    }

    @Test
    void gradients() {
        Tensor[] t = inputs(22, 2, 3, 5, 7);
        GradCheck.check("mlp with biases", v -> F.mlp(v[0], v[1], v[2], v[3], v[4]), t[0], t[1], t[2], t[3], t[4]);
        GradCheck.check("mlp without biases", v -> F.mlp(v[0], v[1], null, v[2], null), t[0], t[1], t[3]);
    }

    /** Only fc2's weight needs a gradient: nothing upstream of it is computed or saved. */
    @Test
    void onlySecondWeightGradient() {
        Tensor[] t = inputs(23, 2, 5, 6, 9);
        Var x = Var.constant(t[0]);
        Var w1 = Var.constant(t[1]);
        Var w2 = Var.param(t[3].copy());
        F.mlp(x, w1, null, w2, null).backward(t[5]);
        Var w2Ref = Var.param(t[3].copy());
        F.linear(F.linearGelu(x, w1, null), w2Ref, null).backward(t[5]);
        float[] expected = w2Ref.grad().toArray();
        float[] actual = w2.grad().toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), "dw2 " + i);
        }
        assertNull(x.grad());
    }

    @Test
    void bitIdenticalForOneAndTwoThreads() {
        Tensor[] t = inputs(24, 4, 65, 192, 768);
        float[][][] runs = new float[2][][];
        int saved = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                runs[threads - 1] = run(t, true);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < NAMES.length; i++) {
            assertArrayEquals(runs[0][i], runs[1][i], NAMES[i]);
        }
    }

    @Test
    void rejectsBadShapesNamingTheLayer() {
        Var x = Var.constant(Tensor.zeros(2, 7));
        Var w1 = Var.constant(Tensor.zeros(5, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.mlp(x, Var.constant(Tensor.zeros(5, 6)), null, Var.constant(Tensor.zeros(7, 5)), null));
        assertTrue(e.getMessage().contains("mlp (fc1)") && e.getMessage().contains("[2, 7]")
                && e.getMessage().contains("[5, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.mlp(x, w1, null, Var.constant(Tensor.zeros(7, 4)), null));
        assertTrue(e.getMessage().contains("mlp (fc2)") && e.getMessage().contains("[2, 5]")
                && e.getMessage().contains("[7, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.mlp(x, w1, null, Var.constant(Tensor.zeros(7, 5)), Var.constant(Tensor.zeros(6))));
        assertTrue(e.getMessage().contains("mlp (fc2)") && e.getMessage().contains("[6]"), e.getMessage());
    }
}
