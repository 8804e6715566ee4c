package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class InitTest {

    @Test
    void fanInCountsTheReceptiveField() {
        assertEquals(7, Init.fanIn(new int[] {5, 7}));
        assertEquals(3 * 3 * 16, Init.fanIn(new int[] {32, 16, 3, 3}));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(new int[] {5}));
    }

    @Test
    void linearAndConvDefaultsStayWithinOneOverSqrtFanIn() {
        Linear lin = new Linear(100, 50, new SplittableRandom(1));
        double bound = 1 / Math.sqrt(100);
        assertWithin(lin.weight().value(), bound);
        assertWithin(lin.bias().value(), bound);
        // A uniform(-b, b) sample of 5000 fills its range: its largest magnitude is close to b.
        assertTrue(maxAbs(lin.weight().value()) > 0.99 * bound);

        Conv2d conv = new Conv2d(8, 4, 3, 1, 1, true, new SplittableRandom(2));
        double convBound = 1 / Math.sqrt(8 * 9);
        assertWithin(conv.weight().value(), convBound);
        assertWithin(conv.bias().value(), convBound);
    }

    @Test
    void normLayersStartAsTheIdentity() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight().value().toArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias().value().toArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toArray());
        assertEquals(0L, bn.numBatchesTracked());
        LayerNorm ln = new LayerNorm(2, 1e-6f);
        assertArrayEquals(new float[] {1, 1}, ln.weight().value().toArray());
        assertArrayEquals(new float[] {0, 0}, ln.bias().value().toArray());
    }

    @Test
    void truncNormalRespectsBoundsAndStd() {
        Tensor t = Init.truncNormal(new SplittableRandom(4), 1.0, -0.5, 0.5, 20000);
        assertWithin(t, 0.5);
        // N(0,1) truncated to [-0.5, 0.5] has variance 1 - 2·0.5·φ(0.5)/(Φ(0.5) - Φ(-0.5)) ≈ 0.0806;
        // 20000 samples put the estimate within ~0.001 of it.
        double var = 0;
        for (float v : t.toArray()) {
            var += (double) v * v;
        }
        assertEquals(0.0806, var / t.numel(), 0.002);
        Tensor vit = Init.truncNormal(new SplittableRandom(4), 0.02, 1000);
        assertWithin(vit, 2.0);
        assertThrows(IllegalArgumentException.class, () -> Init.truncNormal(new SplittableRandom(1), 0.1, 1.0, 2.0, 3));
    }

    @Test
    void sameSeedSameValues() {
        assertArrayEquals(Init.kaimingUniformDefault(new SplittableRandom(9), 4, 6).toArray(),
                Init.kaimingUniformDefault(new SplittableRandom(9), 4, 6).toArray());
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void assertWithin(Tensor t, double bound) {
        assertTrue(maxAbs(t) <= bound, () -> "max |x| " + maxAbs(t) + " exceeds " + bound);
    }
}
