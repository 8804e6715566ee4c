package org.lfssd.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;

/** {@link Tensor#add} and {@link Tensor#addInPlace} run in chunks over the threads: same bits as one kernel call, on 1 and 2 threads. */
class TensorParallelAddTest {
    private static Tensor random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = new float[n + 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextGaussian();
        }
        return Tensor.wrap(d, 3, n); // a non-zero offset, as a view would have
    }

    @Test
    void chunkedAddsEqualOneKernelCallOnAnyThreadCount() {
        int n = 3 * Parallel.TASK_ELEMENTS + 5;
        Tensor a = random(n, 1);
        Tensor b = random(n, 2);
        float[] sum = new float[n];
        Kernels.provider().add(a.data(), a.offset(), b.data(), b.offset(), sum, 0, n);
        float[] inPlace = a.toArray();
        Kernels.provider().axpy(1f, b.data(), b.offset(), inPlace, 0, n);
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                assertArrayEquals(sum, a.add(b).toArray(), "add on " + threads + " threads");
                Tensor target = a.copy();
                target.addInPlace(b);
                assertArrayEquals(inPlace, target.toArray(), "addInPlace on " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
