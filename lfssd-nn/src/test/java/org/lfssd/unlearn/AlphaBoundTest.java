package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Dataset;
import org.lfssd.tensor.Tensor;

/**
 * Where the bound Ω_f/Ω_D ≤ about 1/φ holds and where it does not (see ALGORITHM.md, "A practical
 * consequence"), and that the nothing-selected warning states the bound only where it holds.
 */
class AlphaBoundTest {
    static final int N = 40;
    static final int BATCH = 8;
    static final int IN = 6;

    final Dataset d = new Dataset(Tensor.randn(new SplittableRandom(7), 0f, 1f, N, IN),
            new SplittableRandom(8).ints(N, 0, 4).toArray());

    static TinyMlp model() {
        return TinyMlp.random(new SplittableRandom(42), IN, 16, 4);
    }

    /** D with the samples {@code forget} last, in the authors' ConcatDataset(retain, forget) order. */
    Dataset retainThenForget(int[] forget) {
        return d.select(IntStream.range(0, N).filter(i -> !contains(forget, i)).toArray()).concat(d.select(forget));
    }

    static boolean contains(int[] a, int v) {
        return IntStream.of(a).anyMatch(x -> x == v);
    }

    @Test
    void perBatchWithForgetBatchesOfTheirOwnStaysBelowTheBatchShare() {
        // 16 forget samples = two whole batches of 8 at the end of D: the same two batches are in both passes.
        int[] forget = IntStream.range(0, 16).map(i -> 3 + 2 * i).toArray();
        Dataset full = retainThenForget(forget);
        Unlearner u = Unlearner.lfssd().alpha(2.5).progress(ProgressListener.NONE).build();
        TinyMlp m = model();
        try (LogCapture log = new LogCapture(Unlearner.class.getName(), Level.ALL)) {
            DampeningReport r = u.forget(m, d.select(forget).batches(BATCH), u.importance(m, full.batches(BATCH)));
            // Ω_D = (Σ_all |g_b|)/5 ≥ (Σ_forget |g_b|)/5 = (2/5)·Ω_f: ratio ≤ 5/2 = 1/φ.
            assertTrue(r.maxRatio() <= 2.5 * (1 + 1e-6), "max ratio " + r.maxRatio());
            assertTrue(r.maxRatio() > 1.5, "the bound is nearly reached: max ratio " + r.maxRatio());
            assertTrue(r.nothingSelected());
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            String w = warnings.get(0);
            assertTrue(w.contains("If the forget samples formed their own batches") && w.contains("1/φ = 2.5"), w);
            assertFalse(w.contains("exceeds"), w);
        }
    }

    @Test
    void perBatchWithForgetSamplesMixedIntoEveryBatchHasNoSuchBound() {
        // Every 4th sample (φ = 1/4): each batch of D holds 2 forget and 6 retained samples.
        int[] forget = IntStream.range(0, 10).map(i -> 4 * i).toArray();
        Unlearner probe = Unlearner.lfssd().alpha(Double.POSITIVE_INFINITY).progress(ProgressListener.NONE).build();
        TinyMlp m = model();
        Importance omegaD = probe.importance(m, d.batches(BATCH));
        Importance omegaF = probe.importance(m, d.select(forget).batches(BATCH));
        double maxRatio = probe.dampen(model(), omegaF, omegaD).maxRatio();
        // Batch-mean gradients of mixed batches partly cancel in Ω_D (here 6.33 > 4).
        assertTrue(maxRatio > 4 * 1.5, "max ratio " + maxRatio + " should exceed 1/φ = 4");

        // α = 5 > 1/φ still forgets something here, which the old claim said was impossible.
        DampeningReport aboveBound = Unlearner.lfssd().alpha(5).progress(ProgressListener.NONE).build()
                .dampen(m, omegaF, omegaD);
        assertTrue(aboveBound.totalSelected() > 0, aboveBound.summary());

        TinyMlp fresh = model();
        Unlearner huge = Unlearner.lfssd().alpha(maxRatio * 2).progress(ProgressListener.NONE).build();
        try (LogCapture log = new LogCapture(Unlearner.class.getName(), Level.ALL)) {
            DampeningReport r = huge.forget(fresh, d.select(forget).batches(BATCH), huge.importance(fresh, d.batches(BATCH)));
            assertTrue(r.nothingSelected());
            assertEquals(maxRatio, r.maxRatio());
            String w = log.messages(Level.WARNING).get(0);
            // Consistent with itself: it reports the ratio and says no bound applies, never that 4 is out of reach.
            assertTrue(w.contains(String.format(java.util.Locale.ROOT, "%.4g", maxRatio)), w);
            assertTrue(w.contains("exceeds 1/φ = 4") && w.contains("no 1/φ bound applies"), w);
            assertFalse(w.contains("cannot occur"), w);
        }
    }

    @Test
    void perSampleReductionIsBoundedInAnyOrder() {
        int[] forget = IntStream.range(0, 10).map(i -> 4 * i).toArray();
        Unlearner u = Unlearner.lfssd().reduction(Reduction.PER_SAMPLE).alpha(4).progress(ProgressListener.NONE).build();
        TinyMlp m = model();
        try (LogCapture log = new LogCapture(Unlearner.class.getName(), Level.ALL)) {
            DampeningReport r = u.forget(m, d.select(forget).batches(BATCH), u.importance(m, d.batches(BATCH)));
            // Ω_D = (1/N)·Σ|g_i| ≥ (1/N)·Σ_forget|g_i| = φ·Ω_f exactly; float rounding adds at most a few ulps.
            assertTrue(r.maxRatio() <= 4 * (1 + 1e-6), "max ratio " + r.maxRatio());
            assertTrue(r.nothingSelected());
            String w = log.messages(Level.WARNING).get(0);
            assertTrue(w.contains("per-sample reduction") && w.contains("1/φ = 4") && w.contains("cannot occur"), w);
        }
    }

    @Test
    void aDampeningThatSelectsLogsItsTotalsAtInfo() {
        int[] forget = IntStream.range(0, 10).map(i -> 4 * i).toArray();
        Unlearner u = Unlearner.lfssd().alpha(2).progress(ProgressListener.NONE).build();
        TinyMlp m = model();
        try (LogCapture log = new LogCapture(Unlearner.class.getName(), Level.ALL)) {
            DampeningReport r = u.forget(m, d.select(forget).batches(BATCH), u.importance(m, d.batches(BATCH)));
            assertTrue(r.totalSelected() > 0);
            assertEquals(List.of(r.summary()), log.messages(Level.INFO));
            String s = r.summary();
            assertTrue(s.startsWith(String.format(java.util.Locale.ROOT, "LFSSD dampening: selected %,d of %,d parameters",
                    r.totalSelected(), r.totalElements())), s);
            assertTrue(s.contains("in " + r.tensorsTouched() + " of 4 tensors") && s.contains("alpha=2.00000"), s);
            assertEquals(List.of(r.toString()), log.messages(Level.FINE));
        }
    }

    @Test
    void staleImportanceErrorNamesTheOption() {
        Unlearner u = Unlearner.lfssd().progress(ProgressListener.NONE).build();
        TinyMlp m = model();
        Importance omegaD = u.importance(m, d.batches(BATCH));
        m.fc1.weight.value().data()[0] += 1f;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> u.forget(m, d.first(8).batches(BATCH), omegaD));
        assertTrue(e.getMessage().contains("allowStaleImportance(true)"), e.getMessage());
    }

}
