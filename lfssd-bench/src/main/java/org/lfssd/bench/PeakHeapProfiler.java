package org.lfssd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * A JMH profiler ({@code -prof org.lfssd.bench.PeakHeapProfiler}) that reports, per benchmark, the
 * largest over the iterations of:
 * <ul>
 *   <li>{@code ·heap.peak}: the sum over heap memory pools (eden, survivor, old) of each pool's peak
 *       usage during the iteration. Each pool's peak is reset before the iteration. The pools peak at
 *       different moments, so this is an upper bound of the heap occupancy, and it includes garbage
 *       not collected yet (which depends on -Xmx and the collector, not only on what the pass keeps live).</li>
 *   <li>{@code ·heap.retained}: heap in use after a full collection ({@code System.gc()}) at the end of
 *       the iteration, outside the timed window: what a step keeps between steps (model, gradients,
 *       importance accumulators, per-thread GEMM buffers).</li>
 *   <li>{@code ·rss.peak}: the process's peak resident set ({@code VmHWM} from {@code /proc/self/status},
 *       Linux only) since the JVM started: the figure comparable to the PyTorch peer's {@code ru_maxrss},
 *       though a JVM's resident set also holds heap the collector has not returned.</li>
 * </ul>
 * All in MiB.
 */
public class PeakHeapProfiler implements InternalProfiler {
    private static final double MIB = 1024.0 * 1024.0;

    @Override
    public String getDescription() {
        return "Peak heap usage (sum of per-pool peaks), heap retained after a full GC, and peak RSS, in MiB";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            peak += pool.getPeakUsage().getUsed();
        }
        System.gc();
        long retained = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            retained += pool.getUsage().getUsed();
        }
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult("heap.peak", peak / MIB, "MiB", AggregationPolicy.MAX));
        out.add(new ScalarResult("heap.retained", retained / MIB, "MiB", AggregationPolicy.MAX));
        long hwmKib = residentHighWaterMarkKib();
        if (hwmKib >= 0) {
            out.add(new ScalarResult("rss.peak", hwmKib / 1024.0, "MiB", AggregationPolicy.MAX));
        }
        return out;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pools.add(pool);
            }
        }
        return pools;
    }

    /** {@code VmHWM} in KiB, or -1 where /proc is not available. */
    private static long residentHighWaterMarkKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
