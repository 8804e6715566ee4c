package org.lfssd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof org.lfssd.bench.ForeignLoadProfiler}) that reports, per iteration, how many
 * cores something other than this JVM took during it ({@code ·foreign.cores}): the machine's busy time
 * from {@code /proc/stat} (user, nice, system, irq, softirq and steal, i.e. time the hypervisor gave to
 * another guest while one of ours was ready) minus this process's CPU time, over the wall time.
 *
 * <p>It is the PyTorch peer's measure ({@code importance_bench.py}'s {@code foreign_cores}), which leaves a
 * round out of its median when it exceeds 0.25 cores, so that both sides can be filtered by the same rule
 * ({@code scripts/ab_vs_peer.py}). Linux only; elsewhere it reports nothing.
 */
public class ForeignLoadProfiler implements InternalProfiler {
    /** {@code USER_HZ}: the unit of {@code /proc/stat}, 100 on every Linux architecture we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private long busyTicksBefore = -1;
    private long ownNanosBefore;
    private long wallNanosBefore;

    @Override
    public String getDescription() {
        return "Cores used by other processes and other guests (steal) during each iteration, as the PyTorch peer counts them";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        busyTicksBefore = busyTicks();
        ownNanosBefore = ownCpuNanos();
        wallNanosBefore = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long busy = busyTicks();
        long own = ownCpuNanos();
        double wall = (System.nanoTime() - wallNanosBefore) / 1e9;
        if (busy < 0 || busyTicksBefore < 0 || own < 0 || wall <= 0) {
            return List.of();
        }
        double foreign = Math.max(0, (busy - busyTicksBefore) / TICKS_PER_SECOND - (own - ownNanosBefore) / 1e9) / wall;
        return List.of(new ScalarResult("foreign.cores", foreign, "cores", AggregationPolicy.MAX));
    }

    /** The machine's busy ticks since boot, as the peer sums them, or -1 where /proc/stat is unreadable. */
    private static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return busy + (f.length > 8 ? Long.parseLong(f[8]) : 0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of this process (all threads), or -1 where the platform does not report it. */
    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
