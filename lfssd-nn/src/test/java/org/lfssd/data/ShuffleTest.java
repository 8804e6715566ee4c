package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShuffleTest {

    @Test
    void aPermutationHoldsEveryIndexOnceAndDependsOnlyOnTheSeed() {
        int[] p = Shuffle.permutation(1000, new SplittableRandom(42));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertTrue(sorted[i] == i, "index " + i);
        }
        assertArrayEquals(p, Shuffle.permutation(1000, new SplittableRandom(42)));
        // Fisher-Yates from the last position down with nextInt(i + 1): for n = 3 and seed 7 this fixed order.
        SplittableRandom r = new SplittableRandom(7);
        int j2 = r.nextInt(3);
        int j1 = r.nextInt(2);
        int[] expected = {0, 1, 2};
        int t = expected[2]; expected[2] = expected[j2]; expected[j2] = t;
        t = expected[1]; expected[1] = expected[j1]; expected[j1] = t;
        assertArrayEquals(expected, Shuffle.permutation(3, new SplittableRandom(7)));
        assertArrayEquals(new int[0], Shuffle.permutation(0, new SplittableRandom(1)));
    }

    @Test
    void aNegativeCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shuffle.permutation(-1, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
