package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class DropoutOpsTest {

    @Test
    void identityWhenNotTrainingOrWhenPIsZero() {
        Var x = Var.param(Tensor.ones(3, 4));
        assertSame(x, F.dropout(x, 0.5f, false, new SplittableRandom(1)));
        assertSame(x, F.dropout(x, 0f, true, new SplittableRandom(1)));
        assertSame(x, F.dropout(x, 0.3f, false, null));
    }

    @Test
    void probabilityOutsideZeroToOneIsRejected() {
        Var x = Var.param(Tensor.ones(3));
        for (float p : new float[] {-0.1f, 1f, 1.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> F.dropout(x, p, true, new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains(String.valueOf(p)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> F.dropout(x, 1f, false, new SplittableRandom(1)));
    }

    @Test
    void keepsWithProbabilityOneMinusPAndScalesTheKeptElements() {
        int n = 1000;
        float p = 0.25f;
        Tensor x = Tensor.uniform(new SplittableRandom(2), 1f, 2f, n);
        Var y = F.dropout(Var.constant(x), p, true, new SplittableRandom(3));
        // The mask is one nextFloat() per element in order: reproduce it from the same seed.
        SplittableRandom replay = new SplittableRandom(3);
        float scale = 1f / (1f - p);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean keep = replay.nextFloat() >= p;
            kept += keep ? 1 : 0;
            assertEquals(keep ? x.data()[i] * scale : 0f, y.value().data()[i], "element " + i);
        }
        // 750 expected; the binomial standard deviation is ~13.7, so this bound is about 4 sigma.
        assertTrue(Math.abs(kept - 750) < 55, "kept " + kept);
    }

    @Test
    void gradientIsTheSameScaledMask() {
        Var x = Var.param(Tensor.uniform(new SplittableRandom(4), -1f, 1f, 5, 13));
        Var y = F.dropout(x, 0.5f, true, new SplittableRandom(5));
        F.sum(y).backward();
        float[] g = x.grad().toArray();
        float[] out = y.value().toArray();
        float[] in = x.value().toArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(out[i] == 0f ? 0f : 2f, g[i], "element " + i);
            assertEquals(out[i] == 0f ? 0f : in[i] * 2f, out[i], "element " + i);
        }
    }

    @Test
    void gradCheckWithAFixedMask() {
        // Each evaluation draws the mask from a fresh generator with the same seed, so it is fixed.
        GradCheck.check("dropout", v -> F.dropout(v[0], 0.3f, true, new SplittableRandom(6)),
                Tensor.uniform(new SplittableRandom(7), -1f, 1f, 4, 9));
    }

    @Test
    void sameSeedGivesTheSameMask() {
        Tensor x = Tensor.ones(2, 50);
        float[] a = F.dropout(Var.constant(x), 0.4f, true, new SplittableRandom(8)).value().toArray();
        float[] b = F.dropout(Var.constant(x), 0.4f, true, new SplittableRandom(8)).value().toArray();
        assertArrayEquals(a, b);
    }
}
