package org.lfssd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * Alternating A/B of one ViT sub-layer in its old and new form, forward plus backward, in one JVM:
 * rounds of A then B, so that on a shared machine both see the same background load. Prints per-variant
 * medians of wall time and of the calling thread's CPU time per call (with 1 thread all work runs on the
 * calling thread, and CPU time moves less than wall time when other processes compete), and B / A.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp lfssd-bench/target/benchmarks.jar org.lfssd.bench.VitOpsAB \
 *      attention vit224 1 20
 * </pre>
 * Arguments: case ({@code attention}: qkv permute + per-head attention + transpose back vs the packed
 * {@code multiHeadSelfAttention}; {@code patch}: the strided convolution + flatten + transpose vs the
 * patch Linear; {@code mlp}: fc1, GELU and fc2 as three ops vs the fused {@code F.mlp}), model ({@code vit32} or {@code vit224}, batch 16), threads, rounds.
 */
public final class VitOpsAB {
    private VitOpsAB() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: VitOpsAB <attention|patch|mlp> <vit32|vit224> <threads> <rounds>");
            System.exit(2);
        }
        String which = args[0];
        boolean big = args[1].equals("vit224");
        int threads = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Parallel.setThreads(threads);
        int batch = 16;
        int dim = 192;
        int heads = 3;
        int img = big ? 224 : 32;
        int patch = big ? 16 : 4;
        int tokens = (img / patch) * (img / patch) + 1;
        SplittableRandom rng = new SplittableRandom(1);
        Supplier<Float> a;
        Supplier<Float> b;
        switch (which) {
            case "attention" -> {
                Tensor qkv = Tensor.randn(rng, 0f, 1f, batch, tokens, 3 * dim);
                Tensor g = Tensor.randn(rng, 0f, 1f, batch, tokens, dim);
                a = () -> backward(() -> {
                    Var x = Var.param(qkv);
                    Var p = F.permute(F.reshape(x, batch, tokens, 3, heads, dim / heads), 2, 0, 3, 1, 4);
                    Var o = F.scaledDotProductAttention(F.select(p, 0, 0), F.select(p, 0, 1), F.select(p, 0, 2));
                    return new Var[] {x, F.reshape(F.transpose(o, 1, 2), batch, tokens, dim)};
                }, g);
                b = () -> backward(() -> {
                    Var x = Var.param(qkv);
                    return new Var[] {x, F.multiHeadSelfAttention(x, heads)};
                }, g);
            }
            case "patch" -> {
                Tensor images = Tensor.randn(rng, 0f, 1f, batch, 3, img, img);
                Var w = Var.param(Tensor.randn(rng, 0f, 0.02f, dim, 3, patch, patch));
                Var bias = Var.param(Tensor.zeros(dim));
                int grid = img / patch;
                Tensor g = Tensor.randn(rng, 0f, 1f, batch, grid * grid, dim);
                a = () -> backward(() -> new Var[] {w,
                        F.transpose(F.flatten(F.conv2d(Var.constant(images), w, bias, patch, 0), 2), 1, 2)}, g);
                b = () -> backward(() -> {
                    Var x = Var.constant(images);
                    Var rows = F.reshape(F.permute(F.reshape(x, batch, 3, grid, patch, grid, patch), 0, 2, 4, 1, 3, 5),
                            batch, grid * grid, 3 * patch * patch);
                    return new Var[] {w, F.linear(rows, F.reshape(w, dim, 3 * patch * patch), bias)};
                }, g);
            }
            case "mlp" -> {
                int hidden = 4 * dim;
                Var x = Var.param(Tensor.randn(rng, 0f, 1f, batch, tokens, dim));
                Var w1 = Var.param(Tensor.randn(rng, 0f, 0.02f, hidden, dim));
                Var b1 = Var.param(Tensor.randn(rng, 0f, 0.02f, hidden));
                Var w2 = Var.param(Tensor.randn(rng, 0f, 0.02f, dim, hidden));
                Var b2 = Var.param(Tensor.randn(rng, 0f, 0.02f, dim));
                Tensor g = Tensor.randn(rng, 0f, 1f, batch, tokens, dim);
                a = () -> backward(() -> new Var[] {w1, F.linear(F.gelu(F.linear(x, w1, b1)), w2, b2)}, g);
                b = () -> backward(() -> new Var[] {w1, F.mlp(x, w1, b1, w2, b2)}, g);
            }
            default -> throw new IllegalArgumentException("case " + which);
        }
        System.out.println(which + " " + args[1] + " b" + batch + " threads=" + threads + " " + Kernels.selection()
                + " java=" + Runtime.version());
        for (int i = 0; i < 5; i++) { // warm-up, both variants
            a.get();
            b.get();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        float sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < 2; v++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sink += (v == 0 ? a : b).get();
                wall[v][r] = (System.nanoTime() - t0) / 1e6;
                cpu[v][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            }
        }
        double wa = median(wall[0]);
        double wb = median(wall[1]);
        double ca = median(cpu[0]);
        double cb = median(cpu[1]);
        System.out.printf("A (before) median %.2f ms wall, %.2f ms thread CPU%n", wa, ca);
        System.out.printf("B (after)  median %.2f ms wall, %.2f ms thread CPU%n", wb, cb);
        System.out.printf("B / A: wall %.3f, CPU %.3f  (%d alternating rounds, checksum %s)%n", wb / wa, cb / ca, rounds, sink);
    }

    /** Runs the graph built by {@code build} (returning the leaf and the output), back-propagates {@code g}. */
    private static float backward(Supplier<Var[]> build, Tensor g) {
        Var[] leafAndOut = build.get();
        leafAndOut[0].clearGrad();
        leafAndOut[1].backward(g);
        return leafAndOut[0].grad().data()[0];
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
