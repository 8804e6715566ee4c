package org.lfssd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Warm-up then step decay, epoch by epoch. */
class MultiStepScheduleTest {
    @Test
    void warmUpFromZeroThenDecayAtTheMilestones() {
        // 4 steps per epoch, 1 warm-up epoch, milestones at epochs 3 and 5, gamma 0.2.
        MultiStepSchedule s = new MultiStepSchedule(0.1, 4, 1, new int[] {3, 5}, 0.2);
        assertEquals(0.0, s.lr(0));
        assertEquals(0.1 * 2 / (4 + 1e-8), s.lr(2), 1e-15);
        assertEquals(0.1, s.lr(4), 1e-15);      // epoch 2
        assertEquals(0.02, s.lr(8), 1e-15);     // epoch 3: first milestone
        assertEquals(0.02, s.lr(15), 1e-15);    // epoch 4
        assertEquals(0.004, s.lr(16), 1e-15);   // epoch 5
        MultiStepSchedule constant = new MultiStepSchedule(0.02, 10, 0, new int[0], 1.0);
        assertEquals(0.02, constant.lr(0));
        assertEquals(0.02, constant.lr(1234));
        assertThrows(IllegalArgumentException.class, () -> new MultiStepSchedule(0.1, 0, 0, new int[0], 0.2));
    }
}
