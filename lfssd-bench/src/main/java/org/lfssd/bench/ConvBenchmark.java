package org.lfssd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.autograd.ops.ConvOps;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;
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
 * One convolution layer of ResNet18-CIFAR at batch 64, forward and backward (dX and dW, as the
 * importance pass runs it), per algorithm ({@code im2col}, {@code direct}) side by side in one run.
 *
 * <p>Read the secondary metric {@code step:gflop}: it adds the layer's forward+backward FLOPs (3 × 2·MACs)
 * per call, so its score in "ops/s" is GFLOP/s. Layers are {@code <C>x<H>:<O>:k<k>s<s>}, e.g.
 * {@code 64x32:64:k3s1} is the 64-channel 32x32 3x3 stride-1 layer of {@code conv2_x}.
 * <pre>
 * java -jar lfssd-bench/target/benchmarks.jar ConvBenchmark -p threads=1,2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class ConvBenchmark {

    @Param({"64x32:64:k3s1", "64x32:128:k3s2", "128x16:128:k3s1", "256x8:256:k3s1", "512x4:512:k3s1", "256x8:512:k1s2"})
    public String layer;

    @Param({"direct", "im2col"})
    public String algorithm;

    @Param({"1", "2"})
    public int threads;

    @Param({"64"})
    public int batch;

    private Var x;
    private Var w;
    private Tensor seed;
    private int stride;
    private int padding;
    private double gflop;
    private int threadsBefore;

    /** Counts GFLOPs done; JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        threadsBefore = Parallel.threads();
        Parallel.setThreads(threads);
        String[] p = layer.split("[x:ks]");
        // "64x32:64:k3s1" splits into [64, 32, 64, "", 3, 1]
        int c = Integer.parseInt(p[0]);
        int hw = Integer.parseInt(p[1]);
        int o = Integer.parseInt(p[2]);
        int k = Integer.parseInt(p[4]);
        stride = Integer.parseInt(p[5]);
        padding = k / 2;
        SplittableRandom rng = new SplittableRandom(1);
        x = Var.param(Tensor.randn(rng, 0f, 1f, batch, c, hw, hw));
        w = Var.param(Tensor.randn(rng, 0f, 0.05f, o, c, k, k));
        int out = (hw + 2 * padding - k) / stride + 1;
        seed = Tensor.randn(rng, 0f, 1f, batch, o, out, out);
        gflop = 3.0 * 2.0 * batch * out * out * o * c * k * k / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(threadsBefore);
    }

    @Benchmark
    public float step(Flops counter) {
        x.clearGrad();
        w.clearGrad();
        Var y;
        try (var s = ConvOps.using(ConvOps.Algorithm.valueOf(algorithm.toUpperCase(java.util.Locale.ROOT)))) {
            y = F.conv2d(x, w, null, stride, padding);
        }
        y.backward(seed);
        counter.gflop += gflop;
        return w.grad().data()[0];
    }
}
