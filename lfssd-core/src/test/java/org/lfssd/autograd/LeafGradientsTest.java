package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** {@link Var#backward(Tensor, LeafGradients)}: leaves' gradients kept apart from their grad fields. */
class LeafGradientsTest {

    /** A graph that reaches {@code w} twice (so its gradient is a copy plus an addition) and {@code b} once. */
    private static Var loss(Var x, Var w, Var b) {
        Var h = F.relu(F.add(F.matmul(x, w), b));
        return F.meanSquaredNorm(F.matmul(h, F.transpose(w, 0, 1)));
    }

    @Test
    void sameValuesAsTheGradFieldsWhichStayUntouched() {
        SplittableRandom rng = new SplittableRandom(11);
        Var x = Var.constant(Tensor.randn(rng, 0f, 1f, 5, 3));
        Var w = Var.param(Tensor.randn(rng, 0f, 1f, 3, 3));
        Var b = Var.param(Tensor.randn(rng, 0f, 1f, 3));
        Var unused = Var.param(Tensor.ones(2));

        loss(x, w, b).backward();
        float[] gw = w.grad().toArray();
        float[] gb = b.grad().toArray();
        w.clearGrad();
        b.clearGrad();

        LeafGradients into = new LeafGradients();
        Var l = loss(x, w, b);
        l.backward(Tensor.ones(l.shape()), into);
        assertNull(w.grad());
        assertNull(b.grad());
        assertArrayEquals(gw, into.get(w).toArray());
        assertArrayEquals(gb, into.get(b).toArray());
        assertNull(into.get(unused));

        // A second pass after clear: the same arrays, the same values (not added to the first pass's).
        Tensor buffer = into.get(w);
        into.clear();
        assertNull(into.get(w));
        Var l2 = loss(x, w, b);
        l2.backward(Tensor.ones(l2.shape()), into);
        assertSame(buffer, into.get(w));
        assertArrayEquals(gw, into.get(w).toArray());
    }

    @Test
    void twoInstancesDoNotShareBuffers() {
        SplittableRandom rng = new SplittableRandom(12);
        Var x = Var.constant(Tensor.randn(rng, 0f, 1f, 4, 3));
        Var w = Var.param(Tensor.randn(rng, 0f, 1f, 3, 3));
        Var b = Var.param(Tensor.randn(rng, 0f, 1f, 3));
        LeafGradients first = new LeafGradients();
        LeafGradients second = new LeafGradients();
        Var l1 = loss(x, w, b);
        l1.backward(Tensor.ones(l1.shape()), first);
        Var l2 = loss(x, w, b);
        l2.backward(Tensor.ones(l2.shape()), second);
        assertNotSame(first.get(w), second.get(w));
        assertArrayEquals(first.get(w).toArray(), second.get(w).toArray());
    }
}
