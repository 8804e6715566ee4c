package org.lfssd.bench;

import java.util.concurrent.TimeUnit;
import org.lfssd.kernels.Parallel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the LFSSD importance pass (and of the forward pass alone), in images per second, for
 * the configurations of the PyTorch peer benchmark: ResNet18-CIFAR (100 classes, as the peer) at batch
 * 64 and 16, ViT-Tiny 32/4 and ViT-Tiny 224/16 at batch 16, on 1 and 2 threads.
 *
 * <p>Read the secondary metric {@code step:images}: an operations counter that adds the batch size per
 * call, which JMH divides by the measured time, so its score (in "ops/s") is images/s. The primary
 * {@code step} score is batches/s. Modes: {@code lfssd} = clear grads, forward, loss = mean_i ||y_i||²,
 * backward, {@code imp += |grad|}; {@code fwd} = forward under {@code GradMode.disabled()}.
 *
 * <p>Peak memory: add {@code -prof org.lfssd.bench.PeakHeapProfiler} (see that class). Example, the whole
 * suite in about 15 minutes:
 * <pre>
 * java -jar lfssd-bench/target/benchmarks.jar ImportanceBenchmark -prof org.lfssd.bench.PeakHeapProfiler -rf json -rff imp.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class ImportanceBenchmark {

    @Param({"resnet18_b64", "resnet18_b16", "vit32_b16", "vit224_b16"})
    public String config;

    @Param({"1", "2"})
    public int threads;

    @Param({"lfssd", "fwd"})
    public String mode;

    /**
     * The convolution algorithm ({@code lfssd.conv}: auto, direct, im2col), set in the fork before the
     * library reads it, so one run can compare algorithms side by side.
     */
    @Param({"auto"})
    public String conv;

    /**
     * Whether the model's parameters are held in a {@code FrozenParameters} scope for the trial, as
     * {@code Unlearner.importance} holds them for its pass (forms derived from the weights computed once);
     * {@code false} derives them in every step.
     */
    @Param({"true"})
    public boolean frozen;

    private ImportancePassWorkload workload;
    private int threadsBefore;

    /** Counts images processed; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Images {
        public long images;
    }

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("lfssd.conv", conv);
        threadsBefore = Parallel.threads();
        Parallel.setThreads(threads);
        workload = ImportancePassWorkload.create(config, frozen);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
        Parallel.setThreads(threadsBefore);
    }

    @Benchmark
    public float step(Images counter) {
        float r = workload.run(mode);
        counter.images += workload.batch();
        return r;
    }
}
