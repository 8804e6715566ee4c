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

    /** Input x, and the leaves w and b of {@link #loss}. */
    private record Graph(Var x, Var w, Var b) {
        static Graph random(long seed, int rows) {
            SplittableRandom rng = new SplittableRandom(seed);
            return new Graph(Var.constant(Tensor.randn(rng, 0f, 1f, rows, 3)), Var.param(Tensor.randn(rng, 0f, 1f, 3, 3)),
                    Var.param(Tensor.randn(rng, 0f, 1f, 3)));
        }

        /** A loss that reaches {@code w} twice (so its gradient is a copy plus an addition) and {@code b} once. */
        Var loss() {
            Var h = F.relu(F.add(F.matmul(x, w), b));
            return F.meanSquaredNorm(F.matmul(h, F.transpose(w, 0, 1)));
        }

        /** Backward of a new {@link #loss} into {@code into}. */
        void backwardInto(LeafGradients into) {
            Var l = loss();
            l.backward(Tensor.ones(l.shape()), into);
        }
    }

    @Test
    void sameValuesAsTheGradFieldsWhichStayUntouched() {
        Graph g = Graph.random(11, 5);
        Var unused = Var.param(Tensor.ones(2));

        g.loss().backward();
        float[] gw = g.w().grad().toArray();
        float[] gb = g.b().grad().toArray();
        g.w().clearGrad();
        g.b().clearGrad();

        LeafGradients into = new LeafGradients();
        g.backwardInto(into);
        assertNull(g.w().grad());
        assertNull(g.b().grad());
        assertArrayEquals(gw, into.get(g.w()).toArray());
        assertArrayEquals(gb, into.get(g.b()).toArray());
        assertNull(into.get(unused));

        // A second pass after clear: the same arrays, the same values (not added to the first pass's).
        Tensor buffer = into.get(g.w());
        into.clear();
        assertNull(into.get(g.w()));
        g.backwardInto(into);
        assertSame(buffer, into.get(g.w()));
        assertArrayEquals(gw, into.get(g.w()).toArray());
    }

    @Test
    void twoInstancesDoNotShareBuffers() {
        Graph g = Graph.random(12, 4);
        LeafGradients first = new LeafGradients();
        LeafGradients second = new LeafGradients();
        g.backwardInto(first);
        g.backwardInto(second);
        assertNotSame(first.get(g.w()), second.get(g.w()));
        assertArrayEquals(first.get(g.w()).toArray(), second.get(g.w()).toArray());
    }
}
