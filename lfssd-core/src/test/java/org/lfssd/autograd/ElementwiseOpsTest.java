package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

class ElementwiseOpsTest {

    /** Shape pairs covering equal shapes, odd sizes, rank-0 operands and two-sided broadcasting. */
    private static final int[][][] SHAPE_PAIRS = {
        {{5, 7}, {5, 7}}, {{3, 1, 5}, {4, 5}}, {{2, 3}, {3}}, {{}, {2, 3}}, {{2, 3}, {}},
        {{2, 1, 3, 1}, {1, 4, 1, 5}}, {{2, 3, 2, 2}, {3, 1, 1}}, {{1}, {3}},
    };

    private static Var c(float[] v, int... shape) {
        return Var.constant(Tensor.fromArray(v, shape));
    }

    // ------------------------------------------------------------------ forward values

    @Test
    void binaryOpsBroadcastWithHandComputedValues() {
        Var m = c(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Var row = c(new float[] {1, 2, 4}, 3);
        Var col = c(new float[] {10, 20}, 2, 1);
        assertArrayEquals(new float[] {2, 4, 7, 5, 7, 10}, F.add(m, row).value().toArray());
        assertArrayEquals(new float[] {-9, -8, -7, -16, -15, -14}, F.sub(m, col).value().toArray());
        assertArrayEquals(new float[] {10, 20, 30, 80, 100, 120}, F.mul(col, m).value().toArray());
        assertArrayEquals(new float[] {1, 1, 0.75f, 4, 2.5f, 1.5f}, F.div(m, row).value().toArray());
        Var s = c(new float[] {2}, new int[0]);
        assertArrayEquals(new float[] {2, 1, 2f / 3, 0.5f, 0.4f, 2f / 6}, F.div(s, m).value().toArray());
    }

    @Test
    void scalarAndUnaryOpsGiveExactValues() {
        Var x = c(new float[] {-2, 0.25f, 4}, 3);
        assertArrayEquals(new float[] {1, 3.25f, 7}, F.add(x, 3f).value().toArray());
        assertArrayEquals(new float[] {5, -0.625f, -10}, F.mul(x, -2.5f).value().toArray());
        assertArrayEquals(new float[] {2, -0.25f, -4}, F.neg(x).value().toArray());
        assertArrayEquals(new float[] {2, 0.25f, 4}, F.abs(x).value().toArray());
        assertArrayEquals(new float[] {4, 0.0625f, 16}, F.pow(x, 2f).value().toArray());
        assertArrayEquals(new float[] {-8, 0.015625f, 64}, F.pow(x, 3f).value().toArray());
        Var p = c(new float[] {0.25f, 1, 4}, 3);
        assertArrayEquals(new float[] {0.5f, 1, 2}, F.sqrt(p).value().toArray());
        assertArrayEquals(new float[] {0.5f, 1, 2}, F.pow(p, 0.5f).value().toArray());
        assertArrayEquals(new float[] {2, 1, 0.5f}, F.pow(p, -0.5f).value().toArray());
        assertArrayEquals(new float[] {1, 1, 1}, F.pow(p, 0f).value().toArray());
        Var e = c(new float[] {0, 1, -1}, 3);
        assertArrayEquals(new float[] {1, (float) Math.E, (float) (1 / Math.E)}, F.exp(e).value().toArray(), 1e-7f);
        Var l = c(new float[] {1, (float) Math.E, 0.5f}, 3);
        assertArrayEquals(new float[] {0, 1, (float) Math.log(0.5)}, F.log(l).value().toArray(), 1e-7f);
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Var a = Var.param(Tensor.zeros(2, 3));
        Var b = Var.param(Tensor.zeros(4));
        List<BiFunction<Var, Var, Var>> ops = List.of(F::add, F::sub, F::mul, F::div);
        for (BiFunction<Var, Var, Var> op : ops) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(a, b));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.mul(a, b));
        assertTrue(e.getMessage().startsWith("mul"), e.getMessage());
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void addGradients() {
        checkBinary("add", F::add, -1f, 1f);
    }

    @Test
    void subGradients() {
        checkBinary("sub", F::sub, -1f, 1f);
    }

    @Test
    void mulGradients() {
        checkBinary("mul", F::mul, -1f, 1f);
    }

    @Test
    void divGradients() {
        // Divisors in [0.5, 1.5] keep 1/b smooth over the finite-difference step.
        checkBinary("div", F::div, 0.5f, 1.5f);
    }

    @Test
    void sameVarOnBothSidesGetsBothContributions() {
        Var x = Var.param(Tensor.fromArray(new float[] {1.5f, -2f}, 2));
        F.sum(F.mul(x, x)).backward();
        assertArrayEquals(new float[] {3f, -4f}, x.grad().toArray());
        x.clearGrad();
        F.sum(F.div(x, x)).backward();
        assertArrayEquals(new float[] {0f, 0f}, x.grad().toArray(), 1e-7f);
    }

    @Test
    void constantOperandGetsNoGradientAndParamStillDoes() {
        Var a = Var.param(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Var b = Var.constant(Tensor.fromArray(new float[] {2, 4, 8}, 3));
        F.sum(F.div(a, b)).backward();
        assertNull(b.grad());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f, 0.5f, 0.25f, 0.125f}, a.grad().toArray());
        Var w = Var.param(Tensor.fromArray(new float[] {2, 4, 8}, 3));
        F.sum(F.mul(Var.constant(a.value()), w)).backward();
        assertArrayEquals(new float[] {5, 7, 9}, w.grad().toArray());
    }

    @Test
    void scalarOpGradients() {
        for (int[] shape : new int[][] {{}, {7}, {3, 5}}) {
            Tensor x = Tensor.uniform(new SplittableRandom(4), -1f, 1f, shape);
            GradCheck.check("addScalar " + Shapes.str(shape), v -> F.add(v[0], 0.75f), x);
            GradCheck.check("mulScalar " + Shapes.str(shape), v -> F.mul(v[0], -1.5f), x);
            GradCheck.check("neg " + Shapes.str(shape), v -> F.neg(v[0]), x);
        }
    }

    @Test
    void unaryGradients() {
        SplittableRandom rng = new SplittableRandom(5);
        int[] shape = {3, 7};
        Tensor any = Tensor.uniform(rng, -1f, 1f, shape);
        // log, sqrt and negative/fractional powers need positive inputs; keep them away from 0 too.
        Tensor positive = Tensor.uniform(rng, 0.5f, 2f, shape);
        // abs has a kink at 0: magnitudes >= 0.2 stay far from it for the 1e-2 step.
        Tensor awayFromZero = signedAwayFromZero(rng, 0.2f, 1f, shape);
        GradCheck.check("exp", v -> F.exp(v[0]), any);
        GradCheck.check("log", v -> F.log(v[0]), positive);
        GradCheck.check("sqrt", v -> F.sqrt(v[0]), positive);
        GradCheck.check("abs", v -> F.abs(v[0]), awayFromZero);
        GradCheck.check("pow 2", v -> F.pow(v[0], 2f), any);
        GradCheck.check("pow 3", v -> F.pow(v[0], 3f), any);
        GradCheck.check("pow 1", v -> F.pow(v[0], 1f), any);
        GradCheck.check("pow 0.5", v -> F.pow(v[0], 0.5f), positive);
        GradCheck.check("pow -1.5", v -> F.pow(v[0], -1.5f), positive);
        GradCheck.check("pow 0", v -> F.pow(v[0], 0f), any);
    }

    @Test
    void powZeroHasZeroGradientEvenAtZero() {
        Var x = Var.param(Tensor.fromArray(new float[] {0f, 3f}, 2));
        F.sum(F.pow(x, 0f)).backward();
        assertArrayEquals(new float[] {0f, 0f}, x.grad().toArray());
    }

    @Test
    void absGradientAtZeroIsZero() {
        Var x = Var.param(Tensor.fromArray(new float[] {0f, -3f, 2f}, 3));
        F.sum(F.abs(x)).backward();
        assertArrayEquals(new float[] {0f, -1f, 1f}, x.grad().toArray());
    }

    @Test
    void noInputRequiringGradRecordsNothing() {
        Var out = F.mul(F.exp(Var.constant(Tensor.ones(2))), Var.constant(Tensor.ones(2)));
        assertFalse(out.requiresGrad());
        assertTrue(out.isLeaf());
    }

    @Test
    void largeBroadcastingMulAndItsGradientsAreBitIdenticalForOneAndTwoThreads() {
        SplittableRandom rng = new SplittableRandom(6);
        Tensor x = Tensor.uniform(rng, -1f, 1f, 8, 16, 24, 24);
        Tensor s = Tensor.uniform(rng, 0.5f, 1.5f, 16, 1, 1);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor[] one = mulAndGrads(x, s);
            Parallel.setThreads(2);
            Tensor[] two = mulAndGrads(x, s);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i].toArray(), two[i].toArray(), "result " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static Tensor[] mulAndGrads(Tensor x, Tensor s) {
        Var a = Var.param(x);
        Var b = Var.param(s);
        Var y = F.div(F.mul(a, b), b);
        F.sum(F.mul(y, y)).backward();
        return new Tensor[] {y.value(), a.grad(), b.grad()};
    }

    // ------------------------------------------------------------------ helpers

    private static void checkBinary(String name, BiFunction<Var, Var, Var> op, float lo, float hi) {
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        for (int[][] p : SHAPE_PAIRS) {
            Tensor a = Tensor.uniform(rng, -1f, 1f, p[0]);
            Tensor b = Tensor.uniform(rng, lo, hi, p[1]);
            GradCheck.check(name + " " + Shapes.str(p[0]) + " " + Shapes.str(p[1]), v -> op.apply(v[0], v[1]), a, b);
            Tensor a2 = Tensor.uniform(rng, lo, hi, p[0]);
            Tensor b2 = Tensor.uniform(rng, -1f, 1f, p[1]);
            GradCheck.check(name + " " + Shapes.str(p[1]) + " " + Shapes.str(p[0]), v -> op.apply(v[0], v[1]), b2, a2);
        }
    }

    /** Uniform magnitudes in {@code [lo, hi)} with random signs. */
    static Tensor signedAwayFromZero(SplittableRandom rng, float lo, float hi, int... shape) {
        Tensor t = Tensor.uniform(rng, lo, hi, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (rng.nextBoolean()) {
                d[i] = -d[i];
            }
        }
        return t;
    }

    @Test
    void rankZeroResultKeepsRankZero() {
        Var a = Var.param(Tensor.full(3f));
        Var b = Var.param(Tensor.full(4f));
        Var y = F.mul(a, b);
        assertEquals(0, y.dim());
        y.backward();
        assertEquals(4f, a.grad().item());
        assertEquals(3f, b.grad().item());
    }
}
