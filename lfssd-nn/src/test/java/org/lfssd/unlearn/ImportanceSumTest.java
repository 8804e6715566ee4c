package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Batch;
import org.lfssd.data.Batches;
import org.lfssd.tensor.Tensor;

/**
 * A pass split into consecutive parts, summed per part, added in data order and divided once gives the
 * single pass: bit for bit when every part after the first is one batch (or one sample), within float
 * rounding otherwise.
 */
class ImportanceSumTest {
    final UnlearnerPropertiesTest data = new UnlearnerPropertiesTest();
    static final int B = UnlearnerPropertiesTest.BATCH;

    /** Samples {@code [from, to)} of the data set, cut into batches as the whole pass cuts them. */
    Batches part(int from, int to) {
        return new Batches(data.x.sliceBatch(from, to), Arrays.copyOfRange(data.y, from, to), B);
    }

    @Test
    void oneUndividedPassDividedOnceIsThePass() {
        for (Unlearner u : List.of(Unlearner.lfssd().build(), Unlearner.ssd().build(),
                Unlearner.lfssd().reduction(Reduction.PER_SAMPLE).build())) {
            TinyMlp m = UnlearnerPropertiesTest.model();
            Importance single = u.importance(m, data.full());
            Importance viaSum = u.importanceSum(m, data.full(), B).toImportance();
            assertBitIdentical(single, viaSum);
        }
    }

    @Test
    void firstPartThenOneBatchPerPartIsBitIdentical() {
        Unlearner u = Unlearner.ssd().build();
        TinyMlp m = UnlearnerPropertiesTest.model();
        Importance single = u.importance(m, data.full());   // 40 samples: 5 batches of 8
        ImportanceSum sum = u.importanceSum(m, part(0, 16), B);
        for (int start = 16; start < UnlearnerPropertiesTest.N; start += B) {
            sum = sum.plus(u.importanceSum(m, part(start, start + B), B));
        }
        assertBitIdentical(single, sum.toImportance());
    }

    @Test
    void multiBatchPartsAgreeWithinRounding() {
        Unlearner u = Unlearner.lfssd().build();
        TinyMlp m = UnlearnerPropertiesTest.model();
        Importance single = u.importance(m, data.full());
        Importance split = u.importanceSum(m, part(0, 24), B).plus(u.importanceSum(m, part(24, 40), B)).toImportance();
        assertEquals(single.batchCount(), split.batchCount());
        assertEquals(single.sampleCount(), split.sampleCount());
        assertEquals(single.batchSize(), split.batchSize());
        single.values().forEach((name, t) -> {
            float[] a = t.toArray();
            float[] b = split.get(name).toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6f * Math.abs(a[i]), name + "[" + i + "]");
            }
        });
    }

    @Test
    void aShortLastPartRecordsTheNominalBatchSize() {
        Unlearner u = Unlearner.lfssd().build();
        TinyMlp m = UnlearnerPropertiesTest.model();
        ImportanceSum shortTail = u.importanceSum(m, List.of(new Batch(data.x.sliceBatch(0, 3), null)), B);
        assertEquals(B, shortTail.batchSize());
        assertEquals(3, shortTail.sampleCount());
        assertEquals(1, shortTail.batchCount());
    }

    @Test
    void refusesWhatDoesNotFormOnePass() {
        Unlearner u = Unlearner.lfssd().build();
        TinyMlp m = UnlearnerPropertiesTest.model();
        ImportanceSum a = u.importanceSum(m, part(0, 16), B);
        ImportanceSum otherBatch = u.importanceSum(m, new Batches(data.x.sliceBatch(16, 24), null, 4), 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.plus(otherBatch));
        assertTrue(e.getMessage().contains("batch sizes 8 and 4"), e.getMessage());

        ImportanceSum ssd = Unlearner.ssd().build().importanceSum(m, part(16, 24), B);
        e = assertThrows(IllegalArgumentException.class, () -> a.plus(ssd));
        assertTrue(e.getMessage().contains("LFSSD/REFERENCE and SSD/REFERENCE"), e.getMessage());

        TinyMlp other = TinyMlp.random(new java.util.SplittableRandom(1), UnlearnerPropertiesTest.IN,
                UnlearnerPropertiesTest.HIDDEN, UnlearnerPropertiesTest.OUT);
        ImportanceSum otherWeights = u.importanceSum(other, part(16, 24), B);
        e = assertThrows(IllegalArgumentException.class, () -> a.plus(otherWeights));
        assertTrue(e.getMessage().contains("different weights"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> u.importanceSum(m, part(0, 16), 4));
        assertTrue(e.getMessage().contains("batch 0 has 8 samples, more than the nominal batch size 4"), e.getMessage());
    }

    @Test
    void rebuiltFromPartsEqualsTheOriginal() {
        Unlearner u = Unlearner.ssd().build();
        TinyMlp m = UnlearnerPropertiesTest.model();
        ImportanceSum s = u.importanceSum(m, part(0, 16), B);
        ImportanceSum copy = ImportanceSum.of(s.sums(), s.method(), s.reduction(), s.batchSize(), s.sampleCount(),
                s.batchCount(), s.weightHash());
        assertBitIdentical(s.toImportance(), copy.toImportance());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImportanceSum.of(
                java.util.Map.of("w", Tensor.fromArray(new float[] {1f, -2f}, 2)), Method.LFSSD, Reduction.REFERENCE,
                8, 8, 1, s.weightHash()));
        assertTrue(e.getMessage().contains("'w' has value -2.0 at element 1"), e.getMessage());
    }

    static void assertBitIdentical(Importance expected, Importance actual) {
        assertEquals(List.copyOf(expected.parameterNames()), List.copyOf(actual.parameterNames()));
        expected.values().forEach((name, t) -> {
            float[] a = t.toArray();
            float[] b = actual.get(name).toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), name + "[" + i + "]");
            }
        });
        assertEquals(expected.batchCount(), actual.batchCount());
        assertEquals(expected.sampleCount(), actual.sampleCount());
        assertEquals(expected.batchSize(), actual.batchSize());
        assertEquals(expected.weightHash(), actual.weightHash());
    }
}
