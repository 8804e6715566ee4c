package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class PoolOpsTest {

    @Test
    void globalAvgPoolIsThePlaneMean() {
        Tensor x = Tensor.uniform(new SplittableRandom(1), -1f, 1f, 2, 3, 5, 7);
        Var y = F.globalAvgPool(Var.constant(x));
        assertArrayEquals(new int[] {2, 3, 1, 1}, y.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int h = 0; h < 5; h++) {
                    for (int w = 0; w < 7; w++) {
                        s += x.get(n, c, h, w);
                    }
                }
                // A float sum of 35 values in [-1, 1]: rounding stays below 1e-6 of the mean.
                assertEquals(s / 35, y.value().get(n, c, 0, 0), 1e-6);
            }
        }
    }

    @Test
    void globalAvgPoolOfAView() {
        Tensor batch = Tensor.uniform(new SplittableRandom(2), -1f, 1f, 3, 2, 2, 2);
        Tensor second = batch.sliceBatch(1, 2);
        Var y = F.globalAvgPool(Var.constant(second));
        assertEquals((second.get(0, 1, 0, 0) + second.get(0, 1, 0, 1) + second.get(0, 1, 1, 0) + second.get(0, 1, 1, 1)) / 4,
                y.value().get(0, 1, 0, 0), 1e-7);
    }

    @Test
    void backwardSpreadsEvenly() {
        Var x = Var.param(Tensor.zeros(1, 2, 2, 2));
        Var y = F.globalAvgPool(x);
        y.backward(Tensor.fromArray(new float[] {4f, -8f}, 1, 2, 1, 1));
        assertArrayEquals(new float[] {1, 1, 1, 1, -2, -2, -2, -2}, x.grad().toArray());
    }

    // Averaging is linear: central differences are exact up to output rounding, default tolerances apply.
    @Test
    void gradCheck() {
        GradCheck.check("globalAvgPool", v -> F.globalAvgPool(v[0]),
                Tensor.uniform(new SplittableRandom(3), -1f, 1f, 2, 3, 3, 4));
    }

    @Test
    void rejectsNonImages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.globalAvgPool(Var.constant(Tensor.zeros(2, 3, 4))));
        assertTrue(e.getMessage().contains("globalAvgPool") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }
}
