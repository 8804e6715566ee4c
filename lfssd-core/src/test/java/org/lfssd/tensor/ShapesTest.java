package org.lfssd.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapesTest {
    @Test
    void aZeroDimensionMakesAnEmptyTensorHoweverLargeTheOthers() {
        // Regression: the running product passed 2^31 before it reached the 0 and the shape was refused.
        assertEquals(0, Shapes.numel(new int[] {65536, 65536, 0}));
        assertEquals(0, Shapes.numel(new int[] {0, Integer.MAX_VALUE, Integer.MAX_VALUE}));
        Tensor t = Tensor.zeros(65536, 65536, 0);
        assertEquals(0, t.numel());
        assertArrayEquals(new int[] {65536, 65536, 0}, t.shape());
    }

    @Test
    void largeNonEmptyShapesAndNegativeDimensionsAreStillRefused() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Shapes.numel(new int[] {65536, 65536, 1}));
        assertTrue(big.getMessage().contains("[65536, 65536, 1]"), big.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Shapes.numel(new int[] {0, -1}));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        assertEquals(1, Shapes.numel(new int[0]));
    }
}
