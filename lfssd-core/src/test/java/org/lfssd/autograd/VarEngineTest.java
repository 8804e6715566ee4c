package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class VarEngineTest {

    private static Var param(float... v) {
        return Var.param(Tensor.fromArray(v, v.length));
    }

    @Test
    void gradientsAccumulateAcrossBackwardPasses() {
        Var w = param(1f, 2f);
        F.sum(F.mul(w, 3f)).backward();
        assertArrayEquals(new float[] {3, 3}, w.grad().toArray());
        F.sum(F.mul(w, w)).backward(); // adds 2w
        assertArrayEquals(new float[] {5, 7}, w.grad().toArray());
    }

    @Test
    void sharedSubexpressionReceivesBothContributions() {
        // Diamond: h = exp(w); y = sum(h * 2 + h^2). dy/dw = exp(w) * (2 + 2 exp(w)).
        Var w = param(0f, 0.5f);
        Var h = F.exp(w);
        Var y = F.sum(F.add(F.mul(h, 2f), F.pow(h, 2f)));
        y.backward();
        float[] g = w.grad().toArray();
        for (int i = 0; i < 2; i++) {
            double e = Math.exp(w.value().data()[i]);
            assertEquals(e * (2 + 2 * e), g[i], 1e-5);
        }
        assertNull(h.grad(), "intermediate gradients are dropped after backward");
    }

    @Test
    void parameterUsedTwiceInOneOp() {
        Var x = param(-1.5f, 0.25f, 4f);
        F.sum(F.mul(x, x)).backward();
        assertArrayEquals(new float[] {-3f, 0.5f, 8f}, x.grad().toArray());
        x.clearGrad();
        F.sum(F.add(x, x)).backward();
        assertArrayEquals(new float[] {2f, 2f, 2f}, x.grad().toArray());
    }

    @Test
    void requiresGradPropagatesFromAnyInput() {
        Var c = Var.constant(Tensor.ones(2));
        Var p = param(1f, 2f);
        assertFalse(c.requiresGrad());
        assertTrue(c.isLeaf());
        assertTrue(p.requiresGrad());
        assertTrue(p.isLeaf());
        Var cc = F.add(c, c);
        assertFalse(cc.requiresGrad());
        assertTrue(cc.isLeaf());
        Var cp = F.mul(c, p);
        assertTrue(cp.requiresGrad());
        assertFalse(cp.isLeaf());
        Var chained = F.exp(F.add(cc, cp));
        assertTrue(chained.requiresGrad());
        assertFalse(p.detach().requiresGrad());
        assertThrows(IllegalStateException.class, () -> F.sum(cc).backward());
    }

    @Test
    @SuppressWarnings("try") // grad-mode scopes are only opened and closed
    void disabledGradModeRecordsNothingAndNestingRestores() {
        Var p = param(1f, 2f);
        assertTrue(GradMode.isEnabled());
        try (GradMode outer = GradMode.disabled()) {
            assertFalse(GradMode.isEnabled());
            Var y = F.mul(p, p);
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
            try (GradMode inner = GradMode.disabled()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope keeps the outer one disabled");
            assertFalse(F.exp(p).requiresGrad());
        }
        assertTrue(GradMode.isEnabled());
        assertTrue(F.mul(p, p).requiresGrad());
    }

    @Test
    @SuppressWarnings("try") // grad-mode scopes are only opened and closed
    void closingAScopeTwiceDoesNotReenableAnOuterScope() {
        try (GradMode outer = GradMode.disabled()) {
            GradMode inner = GradMode.disabled();
            inner.close();
            inner.close();
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void backwardThroughAReleasedGraphThrowsAClearError() {
        Var w = param(1f, 2f);
        Var h = F.exp(w);
        Var y = F.sum(h);
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("released") && e.getMessage().contains("sum"), e.getMessage());
        // A new graph that reaches the released part through h fails the same way, naming h's op.
        Var z = F.sum(F.mul(h, 2f));
        e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().contains("released") && e.getMessage().contains("exp"), e.getMessage());
    }

    @Test
    void backwardNeedsAScalarOrAMatchingSeed() {
        Var w = param(1f, 2f);
        Var y = F.mul(w, 2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3)));
        y.backward(Tensor.fromArray(new float[] {1f, -1f}, 2));
        assertArrayEquals(new float[] {2f, -2f}, w.grad().toArray());
    }

    @Test
    void backwardOnALeafParameterSeedsItsOwnGradient() {
        Var w = Var.param(Tensor.full(3f));
        w.backward();
        assertEquals(1f, w.grad().item());
    }

    @Test
    void zeroGradKeepsTheTensorAndClearGradDropsIt() {
        Var w = param(1f, 2f);
        F.sum(F.mul(w, 5f)).backward();
        Tensor g = w.grad();
        w.zeroGrad();
        assertTrue(g == w.grad(), "zeroGrad reuses the gradient tensor");
        assertArrayEquals(new float[] {0f, 0f}, w.grad().toArray());
        F.sum(F.mul(w, 5f)).backward();
        assertArrayEquals(new float[] {5f, 5f}, w.grad().toArray());
        w.clearGrad();
        assertNull(w.grad());
        F.sum(F.mul(w, 2f)).backward();
        assertArrayEquals(new float[] {2f, 2f}, w.grad().toArray());
        Var fresh = param(1f);
        fresh.zeroGrad();
        assertArrayEquals(new float[] {0f}, fresh.grad().toArray());
    }

    @Test
    void leafGradientIsACopyNotTheSeed() {
        Var w = param(1f, 2f);
        Tensor seed = Tensor.fromArray(new float[] {1f, 1f}, 2);
        F.add(w, 0f).backward(seed);
        w.grad().fill(9f);
        assertArrayEquals(new float[] {1f, 1f}, seed.toArray());
    }

    @Test
    void savedTensorsBecomeCollectableAfterBackward() throws InterruptedException {
        Var w = Var.param(Tensor.full(0.5f, 256, 1024));
        Var[] loss = new Var[1];
        WeakReference<Tensor> saved = buildGraph(w, loss);
        // Before backward the tape holds the activation strongly.
        System.gc();
        assertNotNull(saved.get(), "the graph keeps its saved activation alive");
        loss[0].backward();
        assertTrue(collected(saved), "backward released the saved activation");
        assertNotNull(w.grad());
        assertEquals(256 * 1024, w.grad().numel());
    }

    /** Builds loss = sum(exp(w) * 3) and returns a weak reference to exp's output, saved by exp's backward. */
    private static WeakReference<Tensor> buildGraph(Var w, Var[] loss) {
        Var h = F.exp(w);
        loss[0] = F.sum(F.mul(h, 3f));
        return new WeakReference<>(h.value());
    }

    /** Asks for collection a few times: GC is a request, so one call is not a guarantee. */
    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return ref.get() == null;
    }

    @Test
    void backwardReturningAWrongShapeIsReported() {
        Var w = param(1f, 2f);
        Var bad = Var.fromOp("broken", Tensor.zeros(2), g -> new Tensor[] {Tensor.zeros(3)}, w);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bad.backward(Tensor.ones(2)));
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Var w = param(1f);
        Var h = w;
        for (int i = 0; i < 20_000; i++) {
            h = F.add(h, 0f);
        }
        F.sum(h).backward();
        assertArrayEquals(new float[] {1f}, w.grad().toArray());
    }
}
