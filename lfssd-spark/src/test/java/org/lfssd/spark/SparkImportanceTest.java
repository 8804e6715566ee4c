package org.lfssd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Partitioner;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.demo.FashionMnist;
import org.lfssd.models.ResNet18;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;
import org.lfssd.unlearn.Unlearner;
import scala.Tuple2;

/**
 * Ω_D computed by the Spark job (local[2], up to two attempts per task) against the single-machine pass, on
 * the embedded Fashion-MNIST subset (its first 420 training images: six batches of 64 and one of 36) with the
 * width/16 ResNet18.
 */
class SparkImportanceTest {
    static final int N = 420;
    static final int BATCH = 64;
    static final ModelSpec SPEC = ModelSpec.resnet18(10, 1, 16);

    static SparkSession spark;
    static org.lfssd.data.Dataset data;
    static ResNet18 model;
    static Dataset<Row> rows;
    static final Map<Method, Importance> SINGLE = new LinkedHashMap<>();
    static final Map<String, Importance> SPARK = new LinkedHashMap<>();
    static final AtomicInteger FAILED_TASKS = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.session();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().failed()) {
                    FAILED_TASKS.incrementAndGet();
                }
            }
        });
        data = FashionMnist.embedded(FashionMnist.Split.TRAIN).first(N);
        model = (ResNet18) SPEC.create();
        rows = ImageRows.fromDataset(spark, data).cache();
    }

    static Importance single(Method method) {
        return SINGLE.computeIfAbsent(method, m -> Unlearner.builder(m).build().importance(model, data.batches(BATCH)));
    }

    /** The job with its own batch-aligned partitioning, computed once per method and partition count. */
    static Importance spark(Method method, int partitions) {
        return SPARK.computeIfAbsent(method + "/" + partitions, k -> {
            try {
                return job(method).partitions(partitions).build().compute(rows);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static SparkImportance.Builder job(Method method) throws IOException {
        return SparkImportance.builder(SPEC, model).method(method).batchSize(BATCH).imageShape(1, 28, 28);
    }

    @Test
    void onePartitionAndOneBatchPerPartitionAreBitIdentical() throws IOException {
        Importance expected = single(Method.LFSSD);
        int loadsBefore = ExecutorModels.loads();
        for (int partitions : new int[] {1, 7}) {   // 7 partitions of 420 samples: one batch each
            assertBitIdentical(expected, spark(Method.LFSSD, partitions), partitions + " partitions");
        }
        // Once per executor (here: per concurrently running task of the one local executor), not per task.
        // One load for the 1-partition job, at most two (one per concurrent task) for the 7 tasks of the other.
        assertTrue(ExecutorModels.loads() - loadsBefore <= 3, "model loads for 8 tasks: "
                + (ExecutorModels.loads() - loadsBefore));
    }

    @Test
    void threePartitionsAgreeWithinOneMillionthAndTheFileFormatIsTheSame() throws IOException {
        for (Method method : Method.values()) {
            Importance expected = single(method);
            Importance spark = spark(method, 3);   // 3 + 2 + 2 batches
            assertSameProvenance(expected, spark);
            assertWithinRelative(expected, spark, 1e-6);

            Path a = dir.resolve(method + "-single.safetensors");
            Path b = dir.resolve(method + "-spark.safetensors");
            expected.save(a);
            spark.save(b);
            Importance loaded = Importance.load(b);
            assertBitIdentical(spark, loaded, "reloaded");
            assertEquals(Files.size(a), Files.size(b), "same layout and metadata, only values may differ in the last bit");
        }
    }

    @Test
    void forgettingSelectsTheSameWeights() throws IOException {
        Importance spark = spark(Method.LFSSD, 3);
        Unlearner u = Unlearner.lfssd().alpha(10).build();
        org.lfssd.data.Dataset forget = data.whereLabel(y -> y == 3);
        ResNet18 a = (ResNet18) SPEC.create();
        ResNet18 b = (ResNet18) SPEC.create();
        DampeningReport ra = u.forget(a, forget.batches(BATCH), single(Method.LFSSD));
        DampeningReport rb = u.forget(b, forget.batches(BATCH), spark);
        assertTrue(ra.totalSelected() > 0, "nothing selected: " + ra.summary());
        assertEquals(ra.totalSelected(), rb.totalSelected());
        for (int i = 0; i < ra.tensors().size(); i++) {
            assertEquals(ra.tensors().get(i).selected(), rb.tensors().get(i).selected(), ra.tensors().get(i).name());
        }
        Map<String, float[]> before = weights((ResNet18) SPEC.create());
        Map<String, float[]> wa = weights(a);
        Map<String, float[]> wb = weights(b);
        before.forEach((name, w) -> {
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i] != wa.get(name)[i], w[i] != wb.get(name)[i], "dampened or not: " + name + "[" + i + "]");
            }
        });
    }

    @Test
    void aRetriedTaskChangesNothing() throws IOException {
        Importance clean = spark(Method.SSD, 3);
        int failedBefore = FAILED_TASKS.get();
        Importance retried = job(Method.SSD).partitions(3).failFirstAttemptOf(1).build().compute(rows);
        assertEquals(failedBefore + 1, FAILED_TASKS.get(), "the first attempt of partition 1 failed");
        assertBitIdentical(clean, retried, "with a retried task");
    }

    @Test
    void misalignedPartitioningIsRefusedUnderTheReferenceReduction() throws IOException {
        Dataset<Row> misaligned = partitionedAt(100);   // samples 0..99 and 100..419
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> job(Method.LFSSD).keepPartitioning().build().compute(misaligned));
        assertTrue(e.getMessage().contains("partition 1 starts at sample 100, which is not a multiple of the batch size 64"),
                e.getMessage());
        assertTrue(e.getMessage().contains("whole batches"), e.getMessage());

        // Aligned partitions of the caller's own are accepted as they are.
        Importance kept = job(Method.LFSSD).keepPartitioning().build().compute(partitionedAt(128));
        assertWithinRelative(single(Method.LFSSD), kept, 1e-6);
    }

    @Test
    void perSampleReductionPartitionsFreely() throws IOException {
        org.lfssd.data.Dataset small = data.first(96);
        Importance expected = Unlearner.lfssd().reduction(Reduction.PER_SAMPLE).build().importance(model, small.batches(BATCH));
        Dataset<Row> smallRows = partitionedAt(50).filter("index < 96");
        Importance spark = job(Method.LFSSD).reduction(Reduction.PER_SAMPLE).keepPartitioning().build().compute(smallRows);
        assertEquals(expected.sampleCount(), spark.sampleCount());
        assertWithinRelative(expected, spark, 1e-6);
    }

    @Test
    void refusesIndicesThatAreNotZeroToN() {
        Dataset<Row> gap = rows.filter("index <> 5");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> job(Method.LFSSD).build().compute(gap));
        assertTrue(e.getMessage().contains("must hold 0..418 once each for the 419 rows, but it ranges over 0..419"),
                e.getMessage());
    }

    /** The rows in two partitions: indices below {@code cut}, and the rest. */
    static Dataset<Row> partitionedAt(long cut) {
        return spark.createDataFrame(rows.javaRDD().mapToPair(r -> new Tuple2<>(ImageRows.index(r), r))
                .partitionBy(new CutPartitioner(cut)).values(), ImageRows.schema());
    }

    static final class CutPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final long cut;

        CutPartitioner(long cut) {
            this.cut = cut;
        }

        @Override
        public int numPartitions() {
            return 2;
        }

        @Override
        public int getPartition(Object key) {
            return (Long) key < cut ? 0 : 1;
        }
    }

    static Map<String, float[]> weights(ResNet18 m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((n, p) -> out.put(n, p.value().toArray()));
        return out;
    }

    static void assertSameProvenance(Importance expected, Importance actual) {
        assertEquals(List.copyOf(expected.parameterNames()), List.copyOf(actual.parameterNames()));
        assertEquals(expected.method(), actual.method());
        assertEquals(expected.reduction(), actual.reduction());
        assertEquals(expected.batchSize(), actual.batchSize());
        assertEquals(expected.sampleCount(), actual.sampleCount());
        assertEquals(expected.batchCount(), actual.batchCount());
        assertEquals(expected.weightHash(), actual.weightHash());
    }

    static void assertBitIdentical(Importance expected, Importance actual, String what) {
        assertSameProvenance(expected, actual);
        expected.values().forEach((name, t) -> {
            float[] a = t.toArray();
            float[] b = actual.get(name).toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + ": " + name + "[" + i + "]");
            }
        });
    }

    static void assertWithinRelative(Importance expected, Importance actual, double rel) {
        assertSameProvenance(expected, actual);
        expected.values().forEach((name, t) -> {
            float[] a = t.toArray();
            float[] b = actual.get(name).toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], rel * Math.abs(a[i]), name + "[" + i + "]");
            }
        });
    }
}
