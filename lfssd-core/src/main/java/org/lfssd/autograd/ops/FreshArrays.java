package org.lfssd.autograd.ops;

import org.lfssd.kernels.Parallel;

/**
 * Several large output arrays of one op allocated side by side on the pool's threads. Java zeroes a new
 * array on the thread that allocates it, at memory speed, and the ops allocate their outputs on the
 * calling thread between parallel jobs, while the other threads wait: serial work that grows with the
 * activations (two 3152 x 768 arrays for a ViT-Tiny 224 fc1 with its GELU, for one). Where an op needs
 * several such arrays at once, each is allocated by its own task, so two threads zero two arrays at the
 * same time. Small requests are allocated inline, where handing out a job would cost more than the zeroing.
 *
 * <p>The arrays are zeros whoever allocates them, so this cannot change a result.
 */
final class FreshArrays {
    private FreshArrays() {}

    /** Below this many floats in all (1 MiB) the arrays are allocated on the calling thread. */
    static final long MIN_PARALLEL_FLOATS = 1 << 18;

    /**
     * Zeroed arrays of the given lengths.
     *
     * @param lengths the length of each array, {@code >= 0}
     * @return the arrays, in the order of {@code lengths}
     */
    static float[][] zeroed(int... lengths) {
        float[][] arrays = new float[lengths.length][];
        long total = 0;
        for (int n : lengths) {
            if (n < 0) {
                throw new IllegalArgumentException("FreshArrays: negative length " + n);
            }
            total += n;
        }
        if (total < MIN_PARALLEL_FLOATS || lengths.length < 2) {
            for (int i = 0; i < lengths.length; i++) {
                arrays[i] = new float[lengths[i]];
            }
        } else {
            Parallel.forEach(lengths.length, i -> arrays[i] = new float[lengths[i]]);
        }
        return arrays;
    }
}
