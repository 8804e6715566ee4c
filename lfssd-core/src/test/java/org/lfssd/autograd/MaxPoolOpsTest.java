package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** maxPool2d: values by hand, torchvision's 3/2/1 stem geometry, the gradient, and refusals. */
class MaxPoolOpsTest {

    @Test
    void windowsWithPaddingTakeTheirMaximum() {
        // One 4x4 plane 0..15 row-major; MaxPool2d(3, 2, 1) gives 2x2 windows centred on (0,0), (0,2), (2,0), (2,2).
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        Var y = F.maxPool2d(Var.constant(Tensor.fromArray(v, 1, 1, 4, 4)), 3, 2, 1);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {5, 7, 13, 15}, y.value().toArray());
    }

    @Test
    void negativeInputsAreNotBeatenByThePadding() {
        Var y = F.maxPool2d(Var.constant(Tensor.full(-3f, 1, 2, 3, 3)), 3, 2, 1);
        assertArrayEquals(new float[] {-3, -3, -3, -3, -3, -3, -3, -3}, y.value().toArray());
    }

    @Test
    void resnetStemShapes() {
        Var y = F.maxPool2d(Var.constant(Tensor.zeros(2, 3, 112, 112)), 3, 2, 1);
        assertArrayEquals(new int[] {2, 3, 56, 56}, y.shape());
        Var odd = F.maxPool2d(Var.constant(Tensor.zeros(1, 1, 7, 5)), 3, 2, 1);
        assertArrayEquals(new int[] {1, 1, 4, 3}, odd.shape());
    }

    @Test
    void gradientGoesToTheFirstMaximumOfEachWindowAndAddsUpWhereWindowsOverlap() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        v[0] = 20; // the maximum of the top-left window only (the windows of row 0 are cols -1..1 and 1..3)
        Var x = Var.param(Tensor.fromArray(v, 1, 1, 4, 4));
        F.maxPool2d(x, 3, 2, 1).backward(Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        float[] g = x.grad().toArray();
        assertEquals(1f, g[0]);
        assertEquals(2f, g[7]);
        assertEquals(3f, g[13]);
        assertEquals(4f, g[15]);
        assertEquals(10f, sum(g));
        // Ties: the first in row-major window order wins; with a constant plane all four windows pick (0,0)..
        Var c = Var.param(Tensor.full(1f, 1, 1, 2, 2));
        F.maxPool2d(c, 2, 1, 0).backward(Tensor.fromArray(new float[] {5}, 1, 1, 1, 1));
        assertArrayEquals(new float[] {5, 0, 0, 0}, c.grad().toArray());
    }

    @Test
    void gradCheck() {
        // A shuffled ramp with steps of 0.05: no two values within a finite-difference step, so argmaxes hold.
        Tensor x = Tensor.zeros(2, 2, 5, 6);
        float[] d = x.data();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.05f - 3f;
        }
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        GradCheck.check("maxPool2d", in -> F.maxPool2d(in[0], 3, 2, 1), x);
    }

    @Test
    void refusesBadGeometry() {
        Var x = Var.constant(Tensor.zeros(1, 1, 4, 4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(x, 3, 2, 2)).getMessage()
                .contains("padding must be at most kernel/2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(Var.constant(Tensor.zeros(4, 4)), 3, 2, 1))
                .getMessage().contains("expected x [N,C,H,W]"));
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float f : a) {
            s += f;
        }
        return s;
    }
}
