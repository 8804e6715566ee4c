package org.lfssd.spark;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.lfssd.data.Normalization;
import org.lfssd.kernels.Config;
import org.lfssd.kernels.Parallel;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.ImportanceSum;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;
import org.lfssd.unlearn.Unlearner;

/**
 * What one Spark task does with its partition: borrow this executor's model, run the library's importance
 * pass over the partition's batches without the final division, and return the sum with its index range.
 * The sum depends only on the partition's rows and the broadcast model, so a retried or speculative
 * attempt returns exactly the same bits.
 */
final class PartitionTask implements Function2<Integer, Iterator<Row>, Iterator<PartitionSum>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = System.getLogger(PartitionTask.class.getName());

    private final String jobKey;
    private final Broadcast<ModelBytes> model;
    private final Method method;
    private final Reduction reduction;
    private final int batchSize;
    private final int[] imageShape;
    private final float[] normMean;
    private final float[] normStd;
    /** A test hook: this partition's first attempt fails after computing its sum; -1 for none. */
    private final int failFirstAttemptOf;

    PartitionTask(String jobKey, Broadcast<ModelBytes> model, Method method, Reduction reduction, int batchSize,
                  int[] imageShape, Normalization normalization, int failFirstAttemptOf) {
        this.jobKey = jobKey;
        this.model = model;
        this.method = method;
        this.reduction = reduction;
        this.batchSize = batchSize;
        this.imageShape = imageShape.clone();
        this.normMean = normalization == null ? null : normalization.mean();
        this.normStd = normalization == null ? null : normalization.std();
        this.failFirstAttemptOf = failFirstAttemptOf;
    }

    @Override
    public Iterator<PartitionSum> call(Integer partition, Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        TaskContext task = TaskContext.get();
        useTaskCores(task == null ? 1 : task.cpus());
        Module m = ExecutorModels.borrow(jobKey, model.value());
        try {
            RowBatches batches = new RowBatches(rows, partition, batchSize, imageShape,
                    normMean == null ? null : new Normalization(normMean, normStd), method == Method.SSD,
                    reduction == Reduction.REFERENCE);
            ImportanceSum sum = Unlearner.builder(method).reduction(reduction).build().importanceSum(m, batches, batchSize);
            if (partition == failFirstAttemptOf && task != null && task.attemptNumber() == 0) {
                throw new IllegalStateException("lfssd-spark: injected failure of partition " + partition
                        + ", first attempt (test hook)");
            }
            return List.of(new PartitionSum(partition, batches.firstIndex(), batches.lastIndex(), sum)).iterator();
        } finally {
            ExecutorModels.release(jobKey, m);
        }
    }

    /**
     * The kernels get the cores Spark gave this task ({@code spark.task.cpus}; with it equal to
     * {@code spark.executor.cores} that is all of the executor's), unless {@code lfssd.threads} was set
     * explicitly for the executor JVM. Results do not depend on the thread count.
     */
    private static void useTaskCores(int cpus) {
        String explicit = Config.get("lfssd.threads", null);
        if (explicit != null) {
            if (THREADS_LOGGED.compareAndSet(false, true)) {
                LOG.log(Level.INFO, "lfssd-spark: lfssd.threads={0} set explicitly; kernels use {1} threads (task cpus {2})",
                        explicit, Parallel.threads(), cpus);
            }
            return;
        }
        if (Parallel.threads() != cpus) {
            Parallel.setThreads(cpus);
        }
        if (THREADS_LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "lfssd-spark: kernels use {0} threads (spark.task.cpus of this executor''s tasks)",
                    Parallel.threads());
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean THREADS_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();
}
