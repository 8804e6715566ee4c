package org.lfssd.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.lfssd.models.ResNet18;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.ImportanceSum;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;

/**
 * Not a test: the driver's share per partition for the full ResNet18-CIFAR (11.2 M parameters), measured in
 * thread CPU time: Java-deserialising one partition sum as Spark's result path does (its serialisation happens
 * on the executor), and adding it to the running total. Argument: repetitions.
 */
public final class MergeCost {
    private MergeCost() {}

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        Module model = new ResNet18(10, new SplittableRandom(0));
        SplittableRandom rng = new SplittableRandom(1);
        Map<String, Tensor> sums = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> {
            float[] v = new float[p.value().numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextDouble();
            }
            sums.put(n, Tensor.wrap(v, 0, p.value().shape()));
        });
        ImportanceSum part = ImportanceSum.of(sums, Method.LFSSD, Reduction.REFERENCE, 64, 640, 10, "0".repeat(64));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new PartitionSum(0, 0, 639, part));
        }
        byte[] wire = bytes.toByteArray();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] deser = new double[reps];
        double[] add = new double[reps];
        ImportanceSum total = part;
        for (int r = 0; r < reps; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            PartitionSum p;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(wire))) {
                p = (PartitionSum) in.readObject();
            }
            ImportanceSum s = p.toSum();
            long c1 = threads.getCurrentThreadCpuTime();
            total = total.plus(s);
            long c2 = threads.getCurrentThreadCpuTime();
            deser[r] = (c1 - c0) / 1e6;
            add[r] = (c2 - c1) / 1e6;
        }
        Arrays.sort(deser);
        Arrays.sort(add);
        System.out.printf(Locale.ROOT, "partition sum: %.1f MB on the wire; driver per partition, median of %d:"
                + " deserialise + rebuild %.0f ms, add %.0f ms (thread CPU)%n", wire.length / 1e6, reps, deser[reps / 2],
                add[reps / 2]);
    }
}
