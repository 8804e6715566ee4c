package org.lfssd.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Alternating A/B of the convolution weight-gradient kernel, {@code ImplicitGemm.gatherTransposed} of
 * the kernel provider, between two builds of the library in one JVM, on the ResNet18-CIFAR layer shapes
 * at batch 64 laid out as {@code DirectConv.weightGrad} lays them out (zero-bordered channels-last input,
 * zero-bordered channels-last output gradient). Each build is loaded from its own jar by its own class
 * loader, so both run in the same process under the same background load, round after round. Prints per
 * shape the median GFLOP/s of each build (the calling thread's CPU time with 1 thread, on which all work
 * then runs; wall time otherwise), new / base, and whether the two outputs are bit-identical; then the
 * time of all weight-gradient products of one ResNet18 step, each shape weighted by how often the
 * network has it.
 * <pre>
 * java --add-modules jdk.incubator.vector -Dlfssd.threads=1 -cp lfssd-bench/target/benchmarks.jar \
 *      org.lfssd.bench.ConvWeightGradAB base.jar lfssd-bench/target/benchmarks.jar 7
 * </pre>
 * Arguments: base jar, new jar, rounds. Threads from {@code -Dlfssd.threads} (both builds read it).
 */
public final class ConvWeightGradAB {
    private ConvWeightGradAB() {}

    /** One weight-gradient product: {@code out[taps][k][n] = Σ_i a[aRows[i] + taps[t] + c] · b[bRows[i] + j]}. */
    record Shape(String name, int uses, int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows) {
        /** A {@code kernel x kernel} convolution, padding {@code kernel / 2}, of {@code images} square images. */
        static Shape conv(String name, int uses, int images, int channels, int size, int outChannels, int kernel, int stride) {
            SplittableRandom r = new SplittableRandom(name.hashCode());
            int pad = kernel / 2;
            int cs = (channels + 3) / 4 * 4; // DirectConv aligns the channel stride to 4
            int wp = size + 2 * pad;
            int outSize = (size + 2 * pad - kernel) / stride + 1;
            int gpad = pad; // the output gradient's border for the input-gradient gathers
            int wq = outSize + 2 * gpad;
            int m = images * outSize * outSize;
            float[] a = new float[images * wp * wp * cs];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble(-1, 1);
            }
            float[] b = new float[images * wq * wq * outChannels];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextDouble(-1, 1);
            }
            int[] aRows = new int[m];
            int[] bRows = new int[m];
            for (int img = 0, i = 0; img < images; img++) {
                for (int y = 0; y < outSize; y++) {
                    for (int x = 0; x < outSize; x++, i++) {
                        aRows[i] = ((img * wp + y * stride) * wp + x * stride) * cs;
                        bRows[i] = ((img * wq + y + gpad) * wq + x + gpad) * outChannels;
                    }
                }
            }
            int[] taps = new int[kernel * kernel];
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    taps[i * kernel + j] = (i * wp + j) * cs;
                }
            }
            return new Shape(name, uses, m, outChannels, cs, a, aRows, taps, b, bRows);
        }

        double flops() {
            return 2.0 * m * n * k * taps.length;
        }
    }

    /** The weight-gradient products of one ResNet18-CIFAR step at batch {@code images}. */
    static List<Shape> resnet18(int images) {
        List<Shape> s = new ArrayList<>();
        s.add(Shape.conv("stem 3->64 32x32", 1, images, 3, 32, 64, 3, 1));
        s.add(Shape.conv("64->64 32x32", 4, images, 64, 32, 64, 3, 1));
        s.add(Shape.conv("64->128 3x3 s2", 1, images, 64, 32, 128, 3, 2));
        s.add(Shape.conv("64->128 1x1 s2", 1, images, 64, 32, 128, 1, 2));
        s.add(Shape.conv("128->128 16x16", 3, images, 128, 16, 128, 3, 1));
        s.add(Shape.conv("128->256 3x3 s2", 1, images, 128, 16, 256, 3, 2));
        s.add(Shape.conv("128->256 1x1 s2", 1, images, 128, 16, 256, 1, 2));
        s.add(Shape.conv("256->256 8x8", 3, images, 256, 8, 256, 3, 1));
        s.add(Shape.conv("256->512 3x3 s2", 1, images, 256, 8, 512, 3, 2));
        s.add(Shape.conv("256->512 1x1 s2", 1, images, 256, 8, 512, 1, 2));
        s.add(Shape.conv("512->512 4x4", 3, images, 512, 4, 512, 3, 1));
        return s;
    }

    /** A build's implicit GEMM and its {@code gatherTransposed}, loaded from {@code jar} by a class loader of its own. */
    private record Build(Object gemm, Method gatherTransposed) {
        static Build load(String jar) throws Exception {
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Object provider = Class.forName("org.lfssd.kernels.Kernels", true, loader).getMethod("provider").invoke(null);
            Class<?> providerType = Class.forName("org.lfssd.kernels.KernelProvider", true, loader);
            Object gemm = providerType.getMethod("implicitGemm").invoke(provider);
            Method m = Class.forName("org.lfssd.kernels.ImplicitGemm", true, loader).getMethod("gatherTransposed",
                    int.class, int.class, int.class, float[].class, int[].class, int[].class, float[].class, int[].class,
                    float[].class);
            return new Build(gemm, m);
        }

        void run(Shape s, float[] out) throws Exception {
            gatherTransposed.invoke(gemm, s.m(), s.n(), s.k(), s.a(), s.aRows(), s.taps(), s.b(), s.bRows(), out);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ConvWeightGradAB <base.jar> <new.jar> <rounds>");
            System.exit(2);
        }
        Build[] builds = {Build.load(args[0]), Build.load(args[1])};
        int rounds = Integer.parseInt(args[2]);
        int threads = Integer.getInteger("lfssd.threads", Runtime.getRuntime().availableProcessors());
        boolean cpu = threads == 1;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        System.out.println("threads=" + threads + ", GFLOP/s from " + (cpu ? "thread CPU time" : "wall time")
                + ", median of " + rounds + " rounds, java=" + Runtime.version());
        double[] stepMs = new double[2];
        for (Shape s : resnet18(64)) {
            float[][] out = new float[2][s.taps().length * s.k() * s.n()];
            double[][] gflops = new double[2][rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                for (int v = 0; v < 2; v++) {
                    long t0 = cpu ? bean.getCurrentThreadCpuTime() : System.nanoTime();
                    builds[v].run(s, out[v]);
                    long t1 = cpu ? bean.getCurrentThreadCpuTime() : System.nanoTime();
                    if (r >= 0) {
                        gflops[v][r] = s.flops() / (t1 - t0);
                    }
                }
            }
            double[] median = new double[2];
            for (int v = 0; v < 2; v++) {
                double[] g = gflops[v].clone();
                Arrays.sort(g);
                median[v] = g[rounds / 2];
                stepMs[v] += s.uses() * s.flops() / median[v] / 1e6;
            }
            System.out.printf("%-17s x%d  base %6.1f  new %6.1f GFLOP/s  new/base %.2f  %s%n", s.name(), s.uses(), median[0],
                    median[1], median[1] / median[0], Arrays.equals(out[0], out[1]) ? "bit-identical" : "OUTPUTS DIFFER");
        }
        System.out.printf("all dW products of one ResNet18 step: base %.0f ms  new %.0f ms  base/new %.2f%n", stepMs[0],
                stepMs[1], stepMs[0] / stepMs[1]);
    }
}
