package org.lfssd.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.ImportanceSum;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;

/** One partition's {@link ImportanceSum} and the index range it covers, as it travels to the driver. */
final class PartitionSum implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final long firstIndex;
    final long lastIndex;
    private final Method method;
    private final Reduction reduction;
    private final int batchSize;
    private final long samples;
    private final long batches;
    private final String weightHash;
    private final String[] names;
    private final int[][] shapes;
    private final float[][] values;

    PartitionSum(int partition, long firstIndex, long lastIndex, ImportanceSum sum) {
        this.partition = partition;
        this.firstIndex = firstIndex;
        this.lastIndex = lastIndex;
        this.method = sum.method();
        this.reduction = sum.reduction();
        this.batchSize = sum.batchSize();
        this.samples = sum.sampleCount();
        this.batches = sum.batchCount();
        this.weightHash = sum.weightHash();
        int k = sum.sums().size();
        names = new String[k];
        shapes = new int[k][];
        values = new float[k][];
        int i = 0;
        for (Map.Entry<String, Tensor> e : sum.sums().entrySet()) {
            names[i] = e.getKey();
            shapes[i] = e.getValue().shape();
            values[i] = e.getValue().toArray();
            i++;
        }
    }

    long samples() {
        return samples;
    }

    /** {@return {partition, first index, last index, samples}}, what the driver orders and checks the sums by */
    long[] range() {
        return new long[] {partition, firstIndex, lastIndex, samples};
    }

    ImportanceSum toSum() {
        Map<String, Tensor> sums = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            sums.put(names[i], Tensor.wrap(values[i], 0, shapes[i]));
        }
        return ImportanceSum.of(sums, method, reduction, batchSize, samples, batches, weightHash);
    }
}
