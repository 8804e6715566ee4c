package org.lfssd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

class CosineWarmupScheduleTest {

    @Test
    void warmsUpLinearlyThenFollowsTheCosine() {
        CosineWarmupSchedule s = new CosineWarmupSchedule(0.1, 0.001, 5, 15);
        assertEquals(0.02, s.lr(0), 1e-15);
        assertEquals(0.06, s.lr(2), 1e-15);
        assertEquals(0.1, s.lr(4), 1e-15);
        assertEquals(0.1, s.lr(5), 1e-15);                                   // cos(0) = 1
        // progress 1/10: 0.001 + 0.099·(1 + cos(π/10))/2
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI / 10)) / 2, s.lr(6), 1e-15);
        assertEquals(0.0505, s.lr(10), 1e-15);                               // half way: the mean of base and min
        assertEquals(0.001, s.lr(15), 1e-15);
        assertEquals(0.001, s.lr(1000), 1e-15);
    }

    @Test
    void withoutWarmupStartsAtTheBase() {
        CosineWarmupSchedule s = new CosineWarmupSchedule(1.0, 0.0, 0, 4);
        assertEquals(1.0, s.lr(0), 1e-15);
        assertEquals(0.5, s.lr(2), 1e-15);
        assertEquals(0.0, s.lr(4), 1e-15);
    }

    @Test
    void appliesToAnOptimizer() {
        SGD sgd = new SGD(List.of(Var.param(Tensor.zeros(1))), 1.0);
        new CosineWarmupSchedule(0.3, 0.0, 3, 10).apply(sgd, 0);
        assertEquals(0.1, sgd.lr(), 1e-15);
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(0.1, 0.2, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(0.1, 0.0, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(0.1, 0.0, 1, 10).lr(-1));
    }
}
