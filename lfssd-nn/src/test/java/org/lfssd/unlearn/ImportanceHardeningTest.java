package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.data.Batch;
import org.lfssd.data.Batches;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

/** Importance files, merges, inputs and concurrent use: each failure is caught where it starts, by name. */
class ImportanceHardeningTest {
    @TempDir
    Path dir;

    final UnlearnerPropertiesTest data = new UnlearnerPropertiesTest();

    private static Importance withCounts(Importance o, long samples, long batches) {
        return new Importance(o.values(), o.method(), o.reduction(), o.batchSize(), samples, batches, o.weightHash());
    }

    /** Regression: a name with a newline was saved and then read back as two names. */
    @Test
    void aParameterNameWithANewlineIsRefusedAtSave() {
        Importance o = new Importance(Map.of("a\nb", Tensor.ones(1)), Method.LFSSD, Reduction.REFERENCE, 1, 1, 1, "h");
        Path file = dir.resolve("newline.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.save(file));
        assertTrue(e.getMessage().contains("newline") && e.getMessage().contains("a\\nb"), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    /** Regression: merging absurd sample counts overflowed to a negative total. */
    @Test
    void mergingCountsThatOverflowIsRefused() {
        TinyMlp m = UnlearnerPropertiesTest.model();
        Importance o = Unlearner.lfssd().build().importance(m, data.full());
        Importance huge = withCounts(o, Long.MAX_VALUE - 1, o.batchCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Importance.merge(huge, o));
        assertTrue(e.getMessage().contains("overflow") && e.getMessage().contains(Long.toString(Long.MAX_VALUE - 1)),
                e.getMessage());
        Importance manyBatches = withCounts(o, o.sampleCount(), Long.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> Importance.merge(o, manyBatches));
    }

    /** Tampering with the counts (which steer the adaptive α) or the values is caught on load. */
    @Test
    void aCorruptedImportanceFileFailsItsChecksum() throws IOException {
        TinyMlp m = UnlearnerPropertiesTest.model();
        Importance o = Unlearner.lfssd().build().importance(m, data.full());
        Path file = dir.resolve("omega.safetensors");
        o.save(file);
        assertEquals(o.sampleCount(), Importance.load(file).sampleCount());

        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.readMetadata(file));
        Map<String, Tensor> values = SafeTensors.read(file);
        meta.put("samples", "7");
        Path counts = dir.resolve("counts.safetensors");
        SafeTensors.write(counts, values, meta);
        IOException e = assertThrows(IOException.class, () -> Importance.load(counts));
        assertTrue(e.getMessage().contains("counts.safetensors") && e.getMessage().contains("checksum"), e.getMessage());

        meta = new LinkedHashMap<>(SafeTensors.readMetadata(file));
        values.get("fc1.weight").data()[3] *= 2;
        Path value = dir.resolve("value.safetensors");
        SafeTensors.write(value, values, meta);
        e = assertThrows(IOException.class, () -> Importance.load(value));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    /** NaN or Inf inputs fail at the first batch that produces them, naming batch and parameter. */
    @Test
    void nonFiniteInputsFailAtTheirBatch() {
        TinyMlp m = UnlearnerPropertiesTest.model();
        Tensor x = data.x.copy();
        x.data()[2 * UnlearnerPropertiesTest.BATCH * UnlearnerPropertiesTest.IN + 1] = Float.NaN; // in batch 2
        for (Method method : Method.values()) {
            Unlearner u = Unlearner.builder(method).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> u.importance(m, new Batches(x, data.y, UnlearnerPropertiesTest.BATCH)));
            assertTrue(e.getMessage().contains("batch 2") && e.getMessage().contains("non-finite gradient")
                    && e.getMessage().contains("'fc"), e.getMessage());
        }
    }

    /** Two passes on one model raced silently (22 of 60 wrong); the second is now refused. */
    @Test
    void aSecondConcurrentPassOnTheSameModelIsRefused() throws Exception {
        TinyMlp m = UnlearnerPropertiesTest.model();
        Unlearner u = Unlearner.lfssd().alpha(1.1).build();
        Importance expected = u.importance(UnlearnerPropertiesTest.model(), data.full());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Batches full = data.full();
        Iterable<Batch> held = () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < full.size();
            }

            @Override
            public Batch next() {
                if (i == 1) {
                    inside.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return full.get(i++);
            }
        };
        AtomicReference<Importance> first = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                first.set(u.importance(m, held));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> u.importance(m, data.full()));
            assertTrue(e.getMessage().contains("already in use by importance"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> u.forget(m, data.forgetSet(), expected));
        } finally {
            release.countDown();
            t.join();
        }
        assertEquals(null, failure.get());
        first.get().values().forEach((n, v) -> assertArrayEqualsBits(expected.get(n), v));
        u.importance(m, data.full()); // free again
    }

    private static void assertArrayEqualsBits(Tensor want, Tensor got) {
        float[] a = want.toArray();
        float[] b = got.toArray();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]));
        }
    }
}
