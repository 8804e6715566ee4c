package org.lfssd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * Optimiser steps against PyTorch semantics. The expected trajectories were computed by hand from the
 * update rules (step 1 is derived in each comment) and agree with torch 1.13's {@code torch.optim} on
 * the same parameter and gradients. Tolerance 1e-6 absolute on values of order 1: a few float32 ulps,
 * since the elementwise order of float operations may differ (e.g. fused multiply-add in torch's kernels).
 */
class OptimizerTest {
    private static final float[] START = {1.0f, -2.0f, 0.5f};
    private static final float[][] GRADS = {{0.5f, 0.25f, -1.0f}, {-0.3f, 0.1f, 2.0f}, {0.2f, -0.4f, 0.0f}};
    private static final double TOL = 1e-6;

    private static void assertTrajectory(Function<List<Var>, Optimizer> make, double[][] expected) {
        Var p = Var.param(Tensor.fromArray(START, 3));
        Optimizer opt = make.apply(List.of(p));
        for (int s = 0; s < GRADS.length; s++) {
            p.zeroGrad();
            p.grad().copyFrom(Tensor.fromArray(GRADS[s], 3));
            opt.step();
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[s][i], p.value().get(i), TOL, "step " + (s + 1) + " element " + i);
            }
        }
    }

    @Test
    void plainSgd() {
        // p = 1 - 0.1·0.5 = 0.95
        assertTrajectory(ps -> new SGD(ps, 0.1), new double[][] {
                {0.95, -2.025, 0.6}, {0.98, -2.035, 0.4}, {0.96, -1.995, 0.4}});
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        // d = 0.5 + 0.01·1 = 0.51; buf = d; p = 1 - 0.1·0.51 = 0.949
        assertTrajectory(ps -> new SGD(ps, 0.1, 0.9, 0.01, false), new double[][] {
                {0.949, -2.023, 0.5995},
                {0.9321510195732117, -2.0516769886016846, 0.4884504973888397},
                {0.896054744720459, -2.0354347229003906, 0.3880175054073334}});
    }

    @Test
    void sgdWithNesterov() {
        // d = 0.51; buf = 0.51; d = d + 0.9·buf = 0.969; p = 1 - 0.0969 = 0.9031
        assertTrajectory(ps -> new SGD(ps, 0.1, 0.9, 0.01, true), new double[][] {
                {0.9031, -2.0437, 0.68905},
                {0.9170741438865662, -2.077446937561035, 0.38833579421043396},
                {0.8637211918830872, -2.0207114219665527, 0.29757532477378845}});
    }

    @Test
    void sgdWithDampening() {
        // The first step copies d into the buffer undamped; the second: buf = 0.9·0.5 + 0.5·(-0.3) = 0.3, p = 0.95 - 0.03
        assertTrajectory(ps -> new SGD(ps, 0.1, 0.9, 0.5, 0.0, false), new double[][] {
                {0.95, -2.025, 0.6}, {0.92, -2.0525, 0.59}, {0.883, -2.05725, 0.581}});
    }

    @Test
    void adamW() {
        // p = 1·(1 - 0.01·0.1) = 0.999; m = 0.1·0.5 = 0.05; v = 0.001·0.25 = 0.00025;
        // step = 0.01/(1-0.9) = 0.1; denom = √0.00025/√0.001 + 1e-8 = 0.5; p = 0.999 - 0.1·0.05/0.5 = 0.989
        assertTrajectory(ps -> new AdamW(ps, 0.01, 0.9, 0.999, 1e-8, 0.1), new double[][] {
                {0.989, -2.008, 0.5095},
                {0.9860960841178894, -2.0149779319763184, 0.5053294897079468},
                {0.9816356897354126, -2.011538505554199, 0.5019941926002502}});
    }

    @Test
    void adamWDefaults() {
        // lr 1e-3, decay 1e-2: p = 1·(1 - 1e-5) - 1e-3·(0.05/0.5) = 0.99899
        assertTrajectory(ps -> new AdamW(ps, 1e-3), new double[][] {
                {0.998989999294281, -2.0009799003601074, 0.5009949803352356},
                {0.9987884759902954, -2.0018584728240967, 0.500623881816864},
                {0.9984310269355774, -2.0016958713531494, 0.5003358721733093}});
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Var a = Var.param(Tensor.fromArray(new float[] {1f}, 1));
        Var b = Var.param(Tensor.fromArray(new float[] {2f}, 1));
        SGD sgd = new SGD(List.of(a, b), 0.5, 0.9, 0.0, false);
        a.zeroGrad();
        a.grad().fill(1f);
        sgd.step();
        assertEquals(0.5f, a.value().item());
        assertEquals(2f, b.value().item());
        sgd.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void invalidSettingsAreRejected() {
        Var p = Var.param(Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, 0.0, 0.0, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, 0.9, 0.1, 0.0, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p, p), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Var.constant(Tensor.zeros(1))), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0));
    }
}
