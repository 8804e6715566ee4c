package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.StepArena;
import org.lfssd.tensor.Tensor;

/**
 * Backward inside a {@link StepArena}: gradients go back to the arena once no Var holds them, and the
 * leaves' gradients are bit for bit those of a pass without an arena. The graph is a small transformer
 * block, where gradients are passed on whole (residual adds), as views (reshape) and summed from two
 * consumers (the residual stream), so that a gradient freed too early would be overwritten and show.
 */
class StepArenaBackwardTest {
    private static final int TOKENS = 5;
    private static final int WIDTH = 12;
    private static final int HEADS = 3;

    private final SplittableRandom rng = new SplittableRandom(11);
    private final Var x = Var.param(Tensor.randn(rng, 0f, 1f, 2, TOKENS, WIDTH));
    private final Var gamma = Var.param(Tensor.randn(rng, 1f, 0.1f, WIDTH));
    private final Var beta = Var.param(Tensor.randn(rng, 0f, 0.1f, WIDTH));
    private final Var wQkv = Var.param(Tensor.randn(rng, 0f, 0.3f, 3 * WIDTH, WIDTH));
    private final Var bQkv = Var.param(Tensor.randn(rng, 0f, 0.1f, 3 * WIDTH));
    private final Var w1 = Var.param(Tensor.randn(rng, 0f, 0.3f, 2 * WIDTH, WIDTH));
    private final Var b1 = Var.param(Tensor.randn(rng, 0f, 0.1f, 2 * WIDTH));
    private final Var w2 = Var.param(Tensor.randn(rng, 0f, 0.3f, WIDTH, 2 * WIDTH));
    private final List<Var> leaves = List.of(x, gamma, beta, wQkv, bQkv, w1, b1, w2);

    private Var loss() {
        Var attended = F.add(x, F.multiHeadSelfAttention(F.linear(F.layerNorm(x, gamma, beta, 1e-6f), wQkv, bQkv), HEADS));
        Var mlp = F.linear(F.linearGelu(attended, w1, b1), w2, null);
        Var out = F.add(attended, mlp);
        return F.meanSquaredNorm(F.reshape(out, 2, TOKENS * WIDTH));
    }

    private float[][] gradients() {
        leaves.forEach(Var::clearGrad);
        loss().backward();
        float[][] g = new float[leaves.size()][];
        for (int i = 0; i < g.length; i++) {
            g[i] = leaves.get(i).grad().toArray();
        }
        return g;
    }

    @Test
    void gradientsAreTheSameWithArraysReused() {
        float[][] expected = gradients();
        try (StepArena arena = StepArena.openChecked()) {
            for (int step = 0; step < 3; step++) {
                float[][] actual = gradients();
                for (int i = 0; i < expected.length; i++) {
                    assertArrayEquals(expected[i], actual[i], "step " + step + ", leaf " + i);
                }
                arena.reset();
                if (step == 0) {
                    assertTrue(arena.reusedCount() > 0, "backward reuses the gradients it has freed within the step");
                }
            }
            long allocatedAfterFirstStep = arena.allocatedCount();
            gradients();
            assertEquals(allocatedAfterFirstStep, arena.allocatedCount(), "a repeated step allocates nothing new");
        }
    }
}
