package org.lfssd.data;

import java.util.SplittableRandom;

/** Random orders of sample indices, the same for the same generator state on every machine. */
public final class Shuffle {
    private Shuffle() {}

    /**
     * A uniform random permutation of {@code 0..n-1}: Fisher–Yates from the last index down, one
     * {@code rng.nextInt(i + 1)} per position, so a seeded generator gives the same order everywhere
     * (training epochs and forgetting splits depend on it).
     *
     * @param n   the number of indices, {@code >= 0}
     * @param rng the source of randomness, advanced by {@code max(0, n - 1)} draws
     * @return the permutation
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        if (n < 0) {
            throw new IllegalArgumentException("Shuffle.permutation: n must be >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
