package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Tensor;

class GradientAccumulationTest {
    /** Sizes around the chunk boundary, a tiny bias-like one and an odd large one. */
    private static final int[] SIZES = {3 * GradientAccumulation.CHUNK + 7, 5, GradientAccumulation.CHUNK, 70_001};

    private static Tensor random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (rng.nextGaussian() * 1e-3);
        }
        return Tensor.wrap(d, 0, n);
    }

    private static List<GradientAccumulation.Term> terms(long seed) {
        List<GradientAccumulation.Term> terms = new ArrayList<>();
        for (int t = 0; t < SIZES.length; t++) {
            terms.add(new GradientAccumulation.Term("p" + t, random(SIZES[t], seed + t), random(SIZES[t], seed + 100 + t)));
        }
        return terms;
    }

    /** Both methods, on 1 and 2 threads: the same bits as one whole-tensor accumulateMap per parameter. */
    @Test
    void chunkedParallelSumsEqualWholeTensorSumsOnAnyThreadCount() {
        int before = Parallel.threads();
        try {
            for (Method method : Method.values()) {
                UnaryOp h = method == Method.LFSSD ? UnaryOp.ABS : UnaryOp.SQUARE;
                List<GradientAccumulation.Term> expected = terms(7);
                for (GradientAccumulation.Term term : expected) {
                    Tensor g = term.gradient();
                    Tensor s = term.sum();
                    Kernels.provider().accumulateMap(h, g.data(), g.offset(), s.data(), s.offset(), g.numel());
                }
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    List<GradientAccumulation.Term> actual = terms(7);
                    GradientAccumulation.accumulate(method, actual, 0);
                    for (int t = 0; t < SIZES.length; t++) {
                        assertArrayEquals(expected.get(t).sum().toArray(), actual.get(t).sum().toArray(),
                                method + " on " + threads + " threads, parameter " + t);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** The first non-finite value in parameter order is reported, whichever thread found it. */
    @Test
    void reportsTheFirstNonFiniteGradientByParameterThenElement() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                List<GradientAccumulation.Term> terms = terms(11);
                int bad = GradientAccumulation.CHUNK + 3;
                terms.get(0).gradient().data()[2 * GradientAccumulation.CHUNK + 1] = Float.NaN;
                terms.get(0).gradient().data()[bad] = Float.POSITIVE_INFINITY;
                terms.get(3).gradient().data()[1] = Float.NaN;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> GradientAccumulation.accumulate(Method.LFSSD, terms, 4));
                assertEquals("importance pass: batch 4 gives a non-finite gradient (Infinity at element " + bad
                        + ") for parameter 'p0'; check that batch's inputs for NaN or infinite values", e.getMessage());
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
