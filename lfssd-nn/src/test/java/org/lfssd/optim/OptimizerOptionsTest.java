package org.lfssd.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** The option objects configure exactly what the positional constructors did, and are checked the same way. */
class OptimizerOptionsTest {

    @Test
    @SuppressWarnings("deprecation")
    void sgdOptionsMatchThePositionalConstructorBitForBit() {
        assertSameTrajectory(ps -> new SGD(ps, 0.1, 0.9, 0.5, 0.01, false),
                ps -> new SGD(ps, SgdOptions.learningRate(0.1).momentum(0.9).dampening(0.5).weightDecay(0.01)));
        assertSameTrajectory(ps -> new SGD(ps, 0.05, 0.9, 5e-4, true),
                ps -> new SGD(ps, SgdOptions.learningRate(0.05).weightDecay(5e-4).momentum(0.9).nesterov(true)));
        assertSameTrajectory(ps -> new SGD(ps, 0.1), ps -> new SGD(ps, SgdOptions.learningRate(0.1)));
    }

    @Test
    @SuppressWarnings("deprecation")
    void adamWOptionsMatchThePositionalConstructorBitForBit() {
        assertSameTrajectory(ps -> new AdamW(ps, 0.01, 0.8, 0.99, 1e-6, 0.1),
                ps -> new AdamW(ps, AdamWOptions.learningRate(0.01).betas(0.8, 0.99).eps(1e-6).weightDecay(0.1)));
        assertSameTrajectory(ps -> new AdamW(ps, 1e-3), ps -> new AdamW(ps, AdamWOptions.learningRate(1e-3)));
    }

    @Test
    void invalidOptionsAreRefusedByTheOptimizer() {
        List<Var> p = List.of(Var.param(Tensor.zeros(1)));
        IllegalArgumentException nesterov = assertThrows(IllegalArgumentException.class,
                () -> new SGD(p, SgdOptions.learningRate(0.1).nesterov(true)));
        assertEquals("SGD: Nesterov momentum requires momentum > 0 and zero dampening, got momentum=0.0 dampening=0.0",
                nesterov.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(p, SgdOptions.learningRate(-1)));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(p, AdamWOptions.learningRate(0.1).betas(1.0, 0.999)));
        assertEquals("SgdOptions(lr=0.1, momentum=0.9, dampening=0.0, weightDecay=0.0, nesterov=false)",
                SgdOptions.learningRate(0.1).momentum(0.9).toString());
    }

    /** Five steps of both optimisers on the same quadratic from the same start; every value identical. */
    private static void assertSameTrajectory(Function<List<Var>, Optimizer> expected, Function<List<Var>, Optimizer> actual) {
        List<Var> a = List.of(Var.param(Tensor.fromArray(new float[] {1f, -2f, 0.5f}, 3)));
        List<Var> b = List.of(Var.param(Tensor.fromArray(new float[] {1f, -2f, 0.5f}, 3)));
        Optimizer oa = expected.apply(a);
        Optimizer ob = actual.apply(b);
        for (int step = 0; step < 5; step++) {
            for (List<Var> ps : List.of(a, b)) {
                Var p = ps.get(0);
                p.zeroGrad();
                // d/dp of sum(p² · [1, 2, 3]) = 2p · [1, 2, 3]
                float[] v = p.value().toArray();
                p.grad().copyFrom(Tensor.fromArray(new float[] {2 * v[0], 4 * v[1], 6 * v[2]}, 3));
            }
            oa.step();
            ob.step();
            assertArrayEquals(a.get(0).value().toArray(), b.get(0).value().toArray(), "step " + step);
        }
    }
}
