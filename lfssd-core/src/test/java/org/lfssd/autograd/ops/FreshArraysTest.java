package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;

/** Arrays of the requested lengths, all zeros, in order, whether allocated inline or on the pool. */
class FreshArraysTest {

    private static void check(int... lengths) {
        float[][] arrays = FreshArrays.zeroed(lengths);
        assertEquals(lengths.length, arrays.length);
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i], arrays[i].length, "array " + i);
            for (float v : arrays[i]) {
                if (v != 0f) {
                    throw new AssertionError("array " + i + " holds " + v);
                }
            }
            for (int j = 0; j < i; j++) {
                assertTrue(arrays[i] != arrays[j] || lengths[i] == 0, "arrays " + j + " and " + i + " are one");
            }
        }
    }

    @Test
    void smallAndLargeRequestsOnOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                check();
                check(7);
                check(7, 0, 33);
                check((int) FreshArrays.MIN_PARALLEL_FLOATS, 1);
                check(1 << 19, 3, 1 << 18);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aNegativeLengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FreshArrays.zeroed(4, -1));
        assertTrue(e.getMessage().contains("negative length -1"), e.getMessage());
    }
}
