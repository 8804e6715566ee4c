package org.lfssd.spark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lfssd.kernels.Parallel;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.ProgressListener;
import org.lfssd.unlearn.Unlearner;

/**
 * Not a test: the measurement behind lfssd-bench/results/spark-*.md. Alternates, in one JVM, the
 * single-machine LFSSD pass (lfssd.threads = 2) and the Spark job on local[2] (two tasks of one kernel thread
 * each) over the same images, and prints the medians of wall time and of process CPU time (all threads: the
 * figure that survives a shared, noisy machine) per round.
 *
 * <p>Arguments: width divisor, image count, rounds, partitions (e.g. {@code 1 640 3 4}: full ResNet18-CIFAR on
 * 640 random 3x32x32 images).
 */
public final class SparkThroughput {
    private SparkThroughput() {}

    public static void main(String[] args) throws Exception {
        int widthDivisor = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int partitions = Integer.parseInt(args[3]);
        ModelSpec spec = ModelSpec.resnet18(10, 3, widthDivisor);
        Module model = spec.create();
        org.lfssd.data.Dataset data = new org.lfssd.data.Dataset(
                Tensor.randn(new SplittableRandom(1), 0f, 1f, n, 3, 32, 32), new SplittableRandom(2).ints(n, 0, 10).toArray());
        SparkSession spark = SparkSession.builder().master("local[2]").appName("lfssd-spark-throughput")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> rows = ImageRows.fromDataset(spark, data).cache();
        rows.count();
        SparkImportance job = SparkImportance.builder(spec, model).imageShape(3, 32, 32).partitions(partitions).build();
        Unlearner u = Unlearner.lfssd().progress(ProgressListener.NONE).build();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<double[]> single = new ArrayList<>();
        List<double[]> onSpark = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {   // round 0 warms up and is not counted
            Parallel.setThreads(2);
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            u.importance(model, data.batches(64));
            double[] s = {(System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9};
            c0 = os.getProcessCpuTime();
            t0 = System.nanoTime();
            job.compute(rows);
            double[] k = {(System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9};
            System.out.printf(Locale.ROOT, "round %d: single %.2f s wall %.2f s cpu | spark %.2f s wall %.2f s cpu | load %.2f%n",
                    r, s[0], s[1], k[0], k[1], os.getSystemLoadAverage());
            if (r > 0) {
                single.add(s);
                onSpark.add(k);
            }
        }
        double sw = median(single, 0);
        double sc = median(single, 1);
        double kw = median(onSpark, 0);
        double kc = median(onSpark, 1);
        System.out.printf(Locale.ROOT, "width/%d, %d images, %d partitions, medians of %d rounds:%n", widthDivisor, n,
                partitions, rounds);
        System.out.printf(Locale.ROOT, "single machine: %.2f s wall (%.1f img/s), %.2f s cpu (%.1f img per cpu-s)%n",
                sw, n / sw, sc, n / sc);
        System.out.printf(Locale.ROOT, "spark local[2]: %.2f s wall (%.1f img/s), %.2f s cpu (%.1f img per cpu-s)%n",
                kw, n / kw, kc, n / kc);
        System.out.printf(Locale.ROOT, "spark / single: wall %.3f, cpu %.3f%n", kw / sw, kc / sc);
        spark.stop();
    }

    private static double median(List<double[]> xs, int k) {
        double[] v = xs.stream().mapToDouble(x -> x[k]).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
