package org.lfssd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lfssd.data.Dataset;
import org.lfssd.kernels.Parallel;
import org.lfssd.models.ResNet18;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;
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
 * End to end: {@link Unlearner#importance} (LFSSD, Ω_D) over 2,048 random 3×32×32 images in batches of 64
 * through ResNet18-CIFAR (100 classes, as {@link ImportanceBenchmark}), so that what the per-step benchmark
 * leaves out counts too: slicing the batches out of the data set, switching the model to eval mode and
 * back, the per-batch accumulation and the weight fingerprint taken for the result.
 *
 * <p>Each measurement is one call (32 steps, tens of seconds), timed on its own (single-shot mode): the
 * score is seconds per call, so images/s = 2048 / score, to compare with {@code step:images} of
 * {@link ImportanceBenchmark} {@code resnet18_b64 lfssd}, the same work without those costs. For example
 * <pre>
 * java -jar lfssd-bench/target/benchmarks.jar UnlearnerEndToEndBenchmark -p threads=2 -wi 1 -i 3 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class UnlearnerEndToEndBenchmark {
    static final int IMAGES = 2048;
    static final int BATCH = 64;

    @Param({"1", "2"})
    public int threads;

    private ResNet18 model;
    private Dataset data;
    private Unlearner unlearner;
    private int threadsBefore;

    @Setup(Level.Trial)
    public void setUp() {
        threadsBefore = Parallel.threads();
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(42);
        model = new ResNet18(ImportancePassWorkload.NUM_CLASSES, rng);
        Tensor images = Tensor.randn(new SplittableRandom(7), 0f, 1f, IMAGES, 3, 32, 32);
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = i % ImportancePassWorkload.NUM_CLASSES;
        }
        data = new Dataset(images, labels);
        unlearner = Unlearner.lfssd().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(threadsBefore);
    }

    @Benchmark
    public Importance importance() {
        return unlearner.importance(model, data.batches(BATCH));
    }
}
