package org.lfssd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.ScalarGemm;
import org.lfssd.kernels.jblas.JblasGemm;
import org.lfssd.kernels.vector.VectorKernels;
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
 * Single-precision GEMM throughput per implementation, shape and thread count.
 *
 * <p>The result to read is the secondary metric {@code sgemm:gflop}: an operations counter that adds
 * {@code 2 m n k / 1e9} per call, which JMH divides by the measured time, so its score in "ops/s" is
 * GFLOP/s. (The primary {@code sgemm} score is calls per second.)
 *
 * <p>Shapes are {@code <transA><transB>:<m>x<n>x<k>}: cubes, and the four ResNet18-CIFAR 3x3 conv layers at
 * batch 64 as im2col products, forward ({@code NN}: W[Cout, Cin*9] x col[Cin*9, HW*64]), weight gradient
 * ({@code NT}: dY x col^T) and input gradient ({@code TN}: W^T x dY); and the Linear layers of ViT-Tiny at
 * 224/16, batch 16 (3152 token rows): forward {@code NT} (x W^T) for qkv (192 -> 576), fc1 (192 -> 768) and
 * fc2 (768 -> 192), input gradients {@code NN} (dY W) and weight gradients {@code TN} (dY^T x).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class GemmBenchmark {

    @Param({"vector-java", "jblas", "scalar-java"})
    public String impl;

    @Param({"NN:256x256x256", "NN:1024x1024x1024", "NN:2048x2048x2048",
        "NN:64x65536x576", "NN:128x16384x1152", "NN:256x4096x2304", "NN:512x1024x4608",
        "NT:64x576x65536", "NT:128x1152x16384", "NT:256x2304x4096", "NT:512x4608x1024",
        "TN:576x65536x64", "TN:1152x16384x128", "TN:2304x4096x256", "TN:4608x1024x512",
        "NT:3152x576x192", "NT:3152x768x192", "NT:3152x192x768",
        "NN:3152x192x576", "NN:3152x768x192", "NN:3152x192x768",
        "TN:576x192x3152", "TN:768x192x3152", "TN:192x768x3152"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Gemm gemm;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private int threadsBefore;

    /** Counts GFLOP done; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        gemm = switch (impl) {
            case "vector-java" -> new VectorKernels().gemm();
            case "jblas" -> JblasGemm.probe();
            case "scalar-java" -> new ScalarGemm();
            default -> throw new IllegalArgumentException("impl=" + impl + " is not one of vector-java|jblas|scalar-java");
        };
        String[] parts = shape.split(":");
        String[] dims = parts[1].split("x");
        transA = parts[0].charAt(0) == 'T';
        transB = parts[0].charAt(1) == 'T';
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        SplittableRandom rng = new SplittableRandom(7);
        a = random(rng, m * k);
        b = random(rng, k * n);
        c = new float[m * n];
        threadsBefore = Parallel.threads();
        Parallel.setThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(threadsBefore);
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        // Row-major leading dimensions of the operands as stored (transposed ones are stored k x m / n x k).
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        flops.gflop += 2.0 * m * n * k * 1e-9;
        return c;
    }
}
