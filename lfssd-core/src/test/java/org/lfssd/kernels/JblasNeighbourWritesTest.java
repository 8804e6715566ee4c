package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A jblas GEMM into one part of an array must not undo plain Java writes that another thread makes to the
 * rest of that array meanwhile (attention writes per-head GEMM results and per-head softmaxes into one
 * shared array). jblas copies whole arrays in and back, so without private operand copies a call would
 * write back a stale snapshot of the neighbour's part.
 */
class JblasNeighbourWritesTest {

    @Test
    void javaWritesBesideAJblasCallSurvive() throws Exception {
        Gemm jblas = FastKernels.jblas();
        int m = 48;
        int n = 48;
        int k = 48;
        int half = m * n;
        float[] shared = new float[2 * half]; // [C window | the neighbour's part]
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(b, 0.25f);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Future<?> gemms = pool.submit(() -> {
                while (!stop.get()) {
                    jblas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, shared, 0, n);
                }
            });
            int clobbered = 0;
            for (int round = 1; round <= 2_000; round++) {
                for (int i = half; i < shared.length; i++) {
                    shared[i] = round;
                }
                Thread.onSpinWait();
                for (int i = half; i < shared.length; i++) {
                    if (shared[i] != round) {
                        clobbered++;
                        break;
                    }
                }
            }
            stop.set(true);
            gemms.get();
            assertEquals(0, clobbered, "rounds in which a jblas call overwrote the neighbour's writes");
            assertEquals(k * 0.5f * 0.25f, shared[0]);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
