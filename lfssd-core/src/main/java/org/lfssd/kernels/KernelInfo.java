package org.lfssd.kernels;

import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * Prints which kernels this JVM selected and a quick GEMM throughput check, so a user can see at a
 * glance whether SIMD (and the intended thread count) is in effect:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp lfssd-core/target/classes:... org.lfssd.kernels.KernelInfo
 * </pre>
 *
 * <p>The timings are a smoke check (best of a few runs after a warm-up), not a benchmark; the JMH
 * suite in {@code lfssd-bench} is the measurement of record.
 */
public final class KernelInfo {
    private KernelInfo() {}

    private static final int[] SIZES = {256, 1024};
    /** Warm-up runs until this much time has passed, so the JIT has compiled the kernels before timing. */
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final int REPS = 5;

    /**
     * Prints the selection and the GEMM summary to standard output.
     *
     * @param args ignored; configure with {@code -Dlfssd.kernels}, {@code -Dlfssd.blas}, {@code -Dlfssd.threads}
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        Kernels.Selection s = Kernels.selection();
        out.println("lfssd kernels");
        int bits = s.provider().vectorBitSize();
        out.println("  provider : " + s.provider().name() + (bits > 0 ? " (" + bits + "-bit vectors)" : " (no SIMD)"));
        out.println("  gemm     : " + s.gemm().name());
        out.println("  threads  : " + Parallel.threads());
        out.println("  java     : " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        if (s.warnings().isEmpty()) {
            out.println("  warnings : none");
        } else {
            for (String w : s.warnings()) {
                out.println("  warning  : " + w);
            }
        }
        for (int n : SIZES) {
            out.printf("  sgemm %4d^3: %7.1f GFLOP/s (best of %d)%n", n, gflops(s.gemm(), n), REPS);
        }
    }

    /** Best throughput of {@link #REPS} timed runs of an {@code n x n x n} product, after warming up. */
    static double gflops(Gemm gemm, int n) {
        SplittableRandom rng = new SplittableRandom(1);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
            b[i] = (float) rng.nextDouble(-1, 1);
        }
        long warmupEnd = System.nanoTime() + WARMUP_NANOS;
        do {
            gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        } while (System.nanoTime() < warmupEnd);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < REPS; r++) {
            long t0 = System.nanoTime();
            gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return 2.0 * n * n * n / best;
    }
}
