package org.lfssd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.ScalarKernels;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.kernels.vector.VectorKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Elementwise unary kernels (forward {@code map} and backward {@code mapBackward}) per provider: the
 * score is nanoseconds per element ({@link OperationsPerInvocation} divides by the size). The library
 * pool is set to {@code threads} for providers that use it internally; the autograd ops split tensors
 * over the pool themselves, so one thread is the per-core cost.
 *
 * <p>Inputs are normal with standard deviation 2, roughly the pre-activations GELU sees in ViT-Tiny, so
 * both signs and the tails are exercised. One million elements (4 MB per array) do not fit in cache,
 * as in the model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class UnaryOpBenchmark {
    private static final int N = 1 << 20;

    @Param({"vector", "scalar"})
    public String provider;

    @Param({"GELU"})
    public UnaryOp op;

    @Param({"1"})
    public int threads;

    private int threadsBefore;

    private KernelProvider kernels;
    private float[] x;
    private float[] g;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = switch (provider) {
            case "vector" -> new VectorKernels();
            case "scalar" -> new ScalarKernels();
            default -> throw new IllegalArgumentException("provider=" + provider + " is not one of vector|scalar");
        };
        threadsBefore = Parallel.threads();
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(11);
        x = new float[N];
        g = new float[N];
        out = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (2 * gaussian(rng));
            g[i] = (float) gaussian(rng);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(threadsBefore);
    }

    /** Box-Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] forward() {
        kernels.map(op, x, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] backward() {
        kernels.mapBackward(op, x, 0, g, 0, out, 0, N);
        return out;
    }
}
