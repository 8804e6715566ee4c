package org.lfssd.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;

/**
 * A plain main for quick measurements and profiling of the same work as {@link ImportanceBenchmark},
 * without JMH's forks: run it under a profiler, e.g.
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx8g -XX:StartFlightRecording=filename=r.jfr,settings=profile \
 *      -cp lfssd-bench/target/benchmarks.jar org.lfssd.bench.ImportanceProfile resnet18_b64 2 lfssd 3 10
 * </pre>
 * Arguments: config, threads, mode ({@code lfssd} or {@code fwd}), warm-up steps, timed steps. Prints each
 * timed step's wall time, images/s and process CPU time, and the median images/s.
 */
public final class ImportanceProfile {
    private ImportanceProfile() {}

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: ImportanceProfile <config> <threads> <lfssd|fwd> <warmupSteps> <timedSteps>");
            System.exit(2);
        }
        String config = args[0];
        int threads = Integer.parseInt(args[1]);
        String mode = args[2];
        int warmup = Integer.parseInt(args[3]);
        int timed = Integer.parseInt(args[4]);
        Parallel.setThreads(threads);
        // -Dlfssd.bench.frozen=false derives the weights' forms in every step (see ImportancePassWorkload).
        boolean frozen = Boolean.parseBoolean(System.getProperty("lfssd.bench.frozen", "true"));
        ImportancePassWorkload workload = ImportancePassWorkload.create(config, frozen);
        System.out.println(config + " " + mode + " threads=" + threads + " " + Kernels.selection()
                + " java=" + Runtime.version());
        float sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += workload.run(mode);
        }
        double[] imagesPerSecond = new double[timed];
        for (int i = 0; i < timed; i++) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            sink += workload.run(mode);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            imagesPerSecond[i] = workload.batch() / seconds;
            System.out.printf("step %d: %.3f s, %.2f img/s, process CPU %.3f s%n", i, seconds, imagesPerSecond[i], cpuSeconds);
        }
        double[] sorted = imagesPerSecond.clone();
        Arrays.sort(sorted);
        double median = timed == 0 ? Double.NaN
                : (timed % 2 == 1 ? sorted[timed / 2] : 0.5 * (sorted[timed / 2 - 1] + sorted[timed / 2]));
        System.out.printf("median %.2f img/s over %d steps (checksum %s)%n", median, timed, sink);
        workload.close();
    }

    /**
     * CPU time of the whole process (all threads, including GC and JIT): on a shared machine it moves
     * less than wall time when other processes compete for the cores.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
