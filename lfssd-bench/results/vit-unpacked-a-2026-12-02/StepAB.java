package org.lfssd.kernels.vector;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.lfssd.kernels.Parallel;

/**
 * Whole importance steps in one JVM, alternating VectorGemm's transposed-A path (packed / in place) step by
 * step (ABBA order), process CPU per step, medians and the median of the per-pair ratios.
 * usage: StepAB config threads warm pairs
 */
public class StepAB {
  public static void main(String[] args) throws Exception {
    String config = args[0]; int threads = Integer.parseInt(args[1]); int warm = Integer.parseInt(args[2]); int pairs = Integer.parseInt(args[3]);
    Parallel.setThreads(threads);
    Class<?> w = Class.forName("org.lfssd.bench.ImportancePassWorkload");
    Method create = w.getDeclaredMethod("create", String.class, boolean.class); create.setAccessible(true);
    Method run = w.getDeclaredMethod("run", String.class); run.setAccessible(true);
    Object workload = create.invoke(null, config, true);
    for (int i = 0; i < warm; i++) { VectorGemm.transposedAInPlace = i % 2 == 0; run.invoke(workload, "lfssd"); }
    double[][] cpu = new double[2][pairs]; float[][] sums = new float[2][pairs]; double[] ratio = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      for (int s = 0; s < 2; s++) {
        int mode = (p % 2 == 0) ? s : 1 - s;
        VectorGemm.transposedAInPlace = mode == 1;
        long c0 = cpuNanos();
        sums[mode][p] = (Float) run.invoke(workload, "lfssd");
        cpu[mode][p] = (cpuNanos() - c0) / 1e9;
      }
      ratio[p] = cpu[1][p] / cpu[0][p];
      System.out.printf("pair %d: packed %.3f s, in place %.3f s, ratio %.3f, sums %s %s load %s%n", p, cpu[0][p], cpu[1][p], ratio[p],
          sums[0][p], sums[1][p], new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).split(" ")[0]);
    }
    System.out.printf("%s T%d: median process CPU per step packed %.3f s, in place %.3f s; median pair ratio %.3f; sums equal %s%n",
        config, threads, med(cpu[0]), med(cpu[1]), med(ratio), Arrays.equals(sums[0], sums[1]));
    System.exit(0);
  }
  static long cpuNanos() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(); }
  static double med(double[] v){ v = v.clone(); Arrays.sort(v); return v.length%2==1? v[v.length/2] : (v[v.length/2-1]+v[v.length/2])/2; }
}
