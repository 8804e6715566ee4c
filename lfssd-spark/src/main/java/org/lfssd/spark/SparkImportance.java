package org.lfssd.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.lfssd.data.Normalization;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.ImportanceSum;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;
import scala.Tuple2;

/**
 * Ω_D as a Spark job: the importance pass of {@link org.lfssd.unlearn.Unlearner#importance} split over
 * executors, with the result a single machine would compute.
 *
 * <p>Semantics ({@link Reduction#REFERENCE}): the batches are the same {@code batchSize} consecutive samples,
 * in index order, that one machine forms; so partitions are cut on batch boundaries by sample index (by
 * default the job repartitions the rows itself; {@link Builder#keepPartitioning()} uses the caller's
 * partitioning and refuses one that is not batch-aligned). Each task sums |gradient| (LFSSD) or gradient²
 * (SSD) over its batches and returns the sum with its batch count ({@link ImportanceSum}); the driver adds the
 * partition sums in data order and divides once. Adding partition sums re-associates float additions, so the
 * result equals the single pass within float rounding (about 1e-7 relative per element and partition), and
 * bit for bit when there is one partition, or when every partition after the first holds exactly one batch.
 * {@link Reduction#PER_SAMPLE} needs no alignment (any partitioning of the rows is accepted).
 *
 * <p>Executors load the model once per executor (per concurrently running task) from a broadcast of the
 * architecture and the checkpoint bytes, and keep it for the job's later tasks; the result comes back to the
 * driver, so no shared file system is needed. Kernel threads follow {@code spark.task.cpus} (set it to
 * {@code spark.executor.cores} for one model per executor using all its cores) unless {@code lfssd.threads}
 * is set for the executors. A task's sum depends only on its rows and the model, so retried and speculative
 * attempts change nothing.
 *
 * <p>The partition sums (4 bytes per parameter each, 45 MB for ResNet18) stay on the executors until the
 * driver fetches and adds them one at a time, so the driver's memory does not grow with the partition count.
 */
public final class SparkImportance {
    private static final Logger LOG = System.getLogger(SparkImportance.class.getName());

    private final ModelBytes model;
    private final Method method;
    private final Reduction reduction;
    private final int batchSize;
    private final int[] imageShape;
    private final int partitions;
    private final boolean keepPartitioning;
    private final Normalization normalization;
    private final int failFirstAttemptOf;

    private SparkImportance(Builder b) {
        this.model = new ModelBytes(b.spec, b.checkpoint);
        this.method = b.method;
        this.reduction = b.reduction;
        this.batchSize = b.batchSize;
        this.imageShape = b.imageShape.clone();
        this.partitions = b.partitions;
        this.keepPartitioning = b.keepPartitioning;
        this.normalization = b.normalization;
        this.failFirstAttemptOf = b.failFirstAttemptOf;
    }

    /**
     * A job for the model {@code spec} with the weights of the safetensors {@code checkpoint}.
     *
     * @param spec       the architecture, built on each executor
     * @param checkpoint a safetensors checkpoint that loads strictly into it, read on the driver
     * @return a builder with the reference defaults (LFSSD, reference reduction, batch 64)
     * @throws IOException if the checkpoint cannot be read
     */
    public static Builder builder(ModelSpec spec, Path checkpoint) throws IOException {
        return new Builder(spec, Files.readAllBytes(checkpoint));
    }

    /**
     * A job for the model {@code spec} with the current weights of {@code model}, an instance of it.
     *
     * @param spec  the architecture, built on each executor
     * @param model the weights to use (saved to checkpoint bytes now; later changes are not seen)
     * @return a builder with the reference defaults (LFSSD, reference reduction, batch 64)
     * @throws IOException if the checkpoint cannot be written to a temporary file
     */
    public static Builder builder(ModelSpec spec, Module model) throws IOException {
        return new Builder(spec, ModelBytes.checkpointOf(model));
    }

    /**
     * Computes Ω on {@code rows} (see {@link ImageRows} for the columns).
     *
     * @param rows the data set, one row per sample with indices 0..n−1
     * @return Ω with the provenance a single pass records (method, reduction, batch size, sample and batch
     *         counts, weight fingerprint); {@link Importance#save} writes the usual file
     * @throws IllegalArgumentException if the columns are unusable, the indices are not 0..n−1 each once, or
     *         (reference reduction with {@link Builder#keepPartitioning()}) a partition is not batch-aligned
     */
    public Importance compute(Dataset<Row> rows) {
        ImageRows.requireSchema(rows.schema());
        long n = requireIndicesZeroToN(rows);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        JavaRDD<Row> ordered;
        if (keepPartitioning) {
            if (reduction == Reduction.REFERENCE) {
                requireBatchAligned(rows, n);
            }
            ordered = rows.sortWithinPartitions(ImageRows.INDEX).javaRDD();
        } else {
            int p = partitions > 0 ? partitions : jsc.defaultParallelism();
            ordered = rows.javaRDD()
                    .mapToPair(r -> new Tuple2<>(ImageRows.index(r), r))
                    .repartitionAndSortWithinPartitions(new BatchAlignedPartitioner(n, batchSize, p))
                    .values();
        }
        long t0 = System.nanoTime();
        Broadcast<ModelBytes> broadcast = jsc.broadcast(model);
        PartitionTask task = new PartitionTask(UUID.randomUUID().toString(), broadcast, method, reduction, batchSize,
                imageShape, normalization, failFirstAttemptOf);
        // The sums stay on the executors (spilled to disk if need be) and are fetched one at a time in data order,
        // so the driver holds at most two of them whatever the partition count. A lost block is recomputed, which
        // gives the same bits.
        JavaRDD<PartitionSum> sums = ordered.mapPartitionsWithIndex(task, false).persist(StorageLevel.MEMORY_AND_DISK());
        Importance result;
        int partitionCount;
        try {
            List<long[]> ranges = new ArrayList<>(sums.map(PartitionSum::range).collect());   // runs the passes
            partitionCount = ranges.size();
            result = addInDataOrder(sums, ranges, n).toImportance();
        } finally {
            sums.unpersist(false);
            broadcast.destroy();
        }
        LOG.log(Level.INFO, "lfssd-spark: {0} from {1} partitions in {2} s", result, partitionCount,
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return result;
    }

    /**
     * Adds the partition sums in the data set's order (by first index), fetching one at a time. Each range is
     * {@code {partition, first index, last index, samples}}.
     */
    private ImportanceSum addInDataOrder(JavaRDD<PartitionSum> sums, List<long[]> ranges, long n) {
        if (ranges.isEmpty()) {
            throw new IllegalStateException("lfssd-spark: no partition returned a sum for " + n + " rows");
        }
        ranges.sort(Comparator.comparingLong(r -> r[1]));
        long samples = 0;
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = ranges.get(i);
            long expectedFirst = i == 0 ? 0 : ranges.get(i - 1)[2] + 1;
            if (reduction == Reduction.REFERENCE && r[1] != expectedFirst) {
                throw new IllegalStateException("lfssd-spark: partition " + r[0] + " covers samples " + r[1] + ".." + r[2]
                        + " but the previous partitions end before " + expectedFirst);
            }
            samples += r[3];
        }
        if (samples != n) {
            throw new IllegalStateException("lfssd-spark: the partitions summed " + samples + " samples of " + n);
        }
        ImportanceSum total = null;
        for (long[] r : ranges) {
            List<PartitionSum> fetched = sums.collectPartitions(new int[] {(int) r[0]})[0];
            ImportanceSum part = fetched.get(0).toSum();
            total = total == null ? part : total.plus(part);
        }
        return total;
    }

    /**
     * Checks that the indices span 0..n−1 for n rows; returns n. Duplicates (which then come with gaps) are
     * caught by the tasks, which see each partition's indices in order, except where nothing else would: the
     * per-sample reduction on the caller's partitioning, for which the distinct indices are counted here.
     */
    private long requireIndicesZeroToN(Dataset<Row> rows) {
        Row stats = rows.agg(min(col(ImageRows.INDEX)), max(col(ImageRows.INDEX)), count(lit(1))).first();
        long n = stats.getLong(2);
        if (n == 0) {
            throw new IllegalArgumentException("lfssd-spark: the data set has no rows");
        }
        long lo = ((Number) stats.get(0)).longValue();
        long hi = ((Number) stats.get(1)).longValue();
        boolean spans = lo == 0 && hi == n - 1;
        long distinct = spans && keepPartitioning && reduction == Reduction.PER_SAMPLE
                ? rows.select(ImageRows.INDEX).distinct().count() : n;
        if (!spans || distinct != n) {
            throw new IllegalArgumentException("lfssd-spark: column 'index' must hold 0.." + (n - 1) + " once each for the "
                    + n + " rows, but it ranges over " + lo + ".." + hi + (spans ? " with " + distinct + " distinct values" : ""));
        }
        return n;
    }

    /**
     * Under the reference reduction each partition must hold whole batches of consecutive samples: it must
     * start at a multiple of the batch size and hold consecutive indices (then every partition but the last
     * holds a multiple of the batch size).
     */
    private void requireBatchAligned(Dataset<Row> rows, long n) {
        int b = batchSize;
        List<long[]> ranges = rows.select(ImageRows.INDEX).javaRDD().mapPartitionsWithIndex((pid, it) -> {
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            long c = 0;
            while (it.hasNext()) {
                long i = ((Number) it.next().get(0)).longValue();
                lo = Math.min(lo, i);
                hi = Math.max(hi, i);
                c++;
            }
            return c == 0 ? java.util.Collections.<long[]>emptyIterator() : List.of(new long[] {pid, lo, hi, c}).iterator();
        }, false).collect();
        for (long[] r : ranges) {
            if (r[1] % b != 0) {
                throw new IllegalArgumentException("lfssd-spark: partition " + r[0] + " starts at sample " + r[1]
                        + ", which is not a multiple of the batch size " + b + ". With the reference reduction a partition"
                        + " must hold whole batches (samples k·" + b + " onwards, consecutive), or its batches would"
                        + " differ from a single pass's and so would Ω. Let the job partition the rows (drop"
                        + " keepPartitioning()), or use the per-sample reduction, which any partitioning gives exactly");
            }
            if (r[2] - r[1] + 1 != r[3]) {
                throw new IllegalArgumentException("lfssd-spark: partition " + r[0] + " holds " + r[3] + " samples between "
                        + r[1] + " and " + r[2] + ", not consecutive ones. With the reference reduction a partition must"
                        + " hold whole batches of consecutive samples; let the job partition the rows (drop"
                        + " keepPartitioning())");
            }
        }
    }

    /** Settings of a {@link SparkImportance} job; every setting has the single-machine default. */
    public static final class Builder {
        private final ModelSpec spec;
        private final byte[] checkpoint;
        private Method method = Method.LFSSD;
        private Reduction reduction = Reduction.REFERENCE;
        private int batchSize = 64;
        private int[] imageShape;
        private int partitions;
        private boolean keepPartitioning;
        private Normalization normalization;
        private int failFirstAttemptOf = -1;

        private Builder(ModelSpec spec, byte[] checkpoint) {
            this.spec = Objects.requireNonNull(spec, "spec");
            this.checkpoint = checkpoint;
        }

        /**
         * The importance method (default LFSSD; SSD needs a label in every row).
         *
         * @param method LFSSD or SSD
         * @return this builder
         */
        public Builder method(Method method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * The reduction (default {@link Reduction#REFERENCE}, the authors' per-batch mean).
         *
         * @param reduction the reduction
         * @return this builder
         */
        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /**
         * The batch size (default 64), as in {@code dataset.batches(batchSize)} on one machine.
         *
         * @param batchSize samples per batch, at least 1
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The shape of one image (required).
         *
         * @param channels channels C
         * @param height   height H
         * @param width    width W
         * @return this builder
         */
        public Builder imageShape(int channels, int height, int width) {
            if (channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("image shape must be positive, got [" + channels + ", " + height + ", "
                        + width + "]");
            }
            this.imageShape = new int[] {channels, height, width};
            return this;
        }

        /**
         * How many batch-aligned partitions the job cuts the rows into (default: Spark's default parallelism;
         * at most the number of batches).
         *
         * @param partitions at least 1
         * @return this builder
         */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /**
         * Uses the rows' own partitioning instead of repartitioning them (saves a shuffle when the data is
         * already partitioned by index ranges). With the reference reduction every partition must then hold
         * whole batches of consecutive indices, which {@link SparkImportance#compute} checks first.
         *
         * @return this builder
         */
        public Builder keepPartitioning() {
            this.keepPartitioning = true;
            return this;
        }

        /**
         * Normalises each batch on the executors, as {@link Normalization#apply(org.lfssd.data.Dataset)} would
         * on one machine (default: the pixels are used as they are).
         *
         * @param normalization per-channel mean and std
         * @return this builder
         */
        public Builder normalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        /** Test hook: the first attempt of {@code partition} fails after computing its sum. */
        Builder failFirstAttemptOf(int partition) {
            this.failFirstAttemptOf = partition;
            return this;
        }

        /**
         * Builds the job.
         *
         * @return the job
         * @throws IllegalStateException if the image shape was not set
         */
        public SparkImportance build() {
            if (imageShape == null) {
                throw new IllegalStateException("SparkImportance: set the image shape with imageShape(c, h, w)");
            }
            return new SparkImportance(this);
        }
    }
}
