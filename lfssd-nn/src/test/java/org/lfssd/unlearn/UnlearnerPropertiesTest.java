package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.data.Batches;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/** Properties of selection and dampening, importance bookkeeping, and the refusals. */
class UnlearnerPropertiesTest {
    static final int IN = 6;
    static final int HIDDEN = 16;
    static final int OUT = 4;
    static final int N = 40;
    /** The forget set is the last FORGET samples of D, as in the authors' ConcatDataset(retain, forget). */
    static final int FORGET = 10;
    static final int BATCH = 8;

    final Tensor x = Tensor.randn(new SplittableRandom(7), 0f, 1f, N, IN);
    final int[] y = new SplittableRandom(8).ints(N, 0, OUT).toArray();

    static TinyMlp model() {
        return TinyMlp.random(new SplittableRandom(42), IN, HIDDEN, OUT);
    }

    Batches full() {
        return new Batches(x, y, BATCH);
    }

    Batches forgetSet() {
        return new Batches(x.sliceBatch(N - FORGET, N), java.util.Arrays.copyOfRange(y, N - FORGET, N), BATCH);
    }

    static Map<String, float[]> weights(org.lfssd.nn.Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((n, p) -> out.put(n, p.value().toArray()));
        return out;
    }

    static void assertWeightsEqual(Map<String, float[]> want, TinyMlp m) {
        Map<String, float[]> got = weights(m);
        assertEquals(want.keySet(), got.keySet());
        want.forEach((n, w) -> assertArrayEquals(w, got.get(n), n));
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void dampeningNeverIncreasesMagnitudeAndSelectsSomething(Method method) {
        TinyMlp m = model();
        Map<String, float[]> before = weights(m);
        // λ > α makes some β = λ·Ω_D/Ω_f exceed 1, so the clamp to 1 must bind.
        Unlearner u = Unlearner.builder(method).alpha(1.2).lambda(3).build();
        DampeningReport r = u.forget(m, forgetSet(), u.importance(m, full()));
        assertTrue(r.totalSelected() > 0, r::toString);
        Map<String, float[]> after = weights(m);
        boolean changed = false;
        for (String n : before.keySet()) {
            for (int i = 0; i < before.get(n).length; i++) {
                float b = before.get(n)[i];
                float a = after.get(n)[i];
                assertTrue(Math.abs(a) <= Math.abs(b), n + "[" + i + "]: " + b + " -> " + a);
                assertTrue(Math.signum(a) == Math.signum(b) || a == 0, n + "[" + i + "] changed sign");
                changed |= a != b;
            }
        }
        assertTrue(changed);
        for (TensorDampening t : r.tensors()) {
            if (t.selected() > 0) {
                assertTrue(t.minBeta() >= 0 && t.minBeta() <= t.meanBeta() && t.meanBeta() <= 1, t.toString());
            }
        }
    }

    @Test
    void infiniteAlphaChangesNothing() {
        TinyMlp m = model();
        Map<String, float[]> before = weights(m);
        Unlearner u = Unlearner.lfssd().alpha(Double.POSITIVE_INFINITY).build();
        DampeningReport r = u.forget(m, forgetSet(), u.importance(m, full()));
        assertTrue(r.nothingSelected());
        assertWeightsEqual(before, m);
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void lambdaZeroZeroesExactlyTheSelectedSet(Method method) {
        TinyMlp m = model();
        Map<String, float[]> before = weights(m);
        double alpha = 1.1;
        Unlearner u = Unlearner.builder(method).alpha(alpha).lambda(0).build();
        Importance omegaD = u.importance(m, full());
        Importance omegaF = u.importance(m, forgetSet());
        DampeningReport r = u.dampen(m, omegaF, omegaD);
        Map<String, float[]> after = weights(m);
        long selected = 0;
        for (String n : before.keySet()) {
            float[] f = omegaF.get(n).toArray();
            float[] d = omegaD.get(n).toArray();
            for (int i = 0; i < f.length; i++) {
                boolean sel = f[i] > d[i] * (float) alpha;
                selected += sel ? 1 : 0;
                // θ·0 keeps the sign of θ (-0.0 for negative weights, as in PyTorch): compare magnitudes.
                float want = sel ? 0f : before.get(n)[i];
                assertEquals(sel ? 0f : want, sel ? Math.abs(after.get(n)[i]) : after.get(n)[i], n + "[" + i + "]");
            }
        }
        assertTrue(selected > 0);
        assertEquals(selected, r.totalSelected());
        assertEquals(0.0, r.tensors().stream().filter(t -> t.selected() > 0).mapToDouble(TensorDampening::meanBeta).max().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void importanceIsBitIdenticalForOneAndTwoThreads(Reduction reduction) {
        int saved = Parallel.threads();
        try {
            for (Method method : Method.values()) {
                Unlearner u = Unlearner.builder(method).reduction(reduction).build();
                Parallel.setThreads(1);
                Importance one = u.importance(model(), full());
                Parallel.setThreads(2);
                Importance two = u.importance(model(), full());
                one.values().forEach((n, t) -> assertArrayEquals(t.toArray(), two.get(n).toArray(), method + " " + n));
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void perSampleMergeOfAnySplitEqualsOnePass() {
        Unlearner u = Unlearner.ssd().reduction(Reduction.PER_SAMPLE).build();
        TinyMlp m = model();
        Importance whole = u.importance(m, full());
        // Split at 13, inside a batch: per-sample importances do not care.
        Importance a = u.importance(m, new Batches(x.sliceBatch(0, 13), java.util.Arrays.copyOfRange(y, 0, 13), BATCH));
        Importance b = u.importance(m, new Batches(x.sliceBatch(13, N), java.util.Arrays.copyOfRange(y, 13, N), BATCH));
        Importance merged = Importance.merge(a, b);
        assertEquals(N, merged.sampleCount());
        assertClose(whole, merged);
    }

    @Test
    void referenceMergeWeightedByBatchCountsEqualsOnePass() {
        Unlearner u = Unlearner.lfssd().build();
        TinyMlp m = model();
        Importance whole = u.importance(m, full());
        // Split on a batch boundary (16 = 2 batches of 8): the second part ends with the same short batch.
        Importance a = u.importance(m, new Batches(x.sliceBatch(0, 16), java.util.Arrays.copyOfRange(y, 0, 16), BATCH));
        Importance b = u.importance(m, new Batches(x.sliceBatch(16, N), java.util.Arrays.copyOfRange(y, 16, N), BATCH));
        Importance merged = Importance.merge(a, b);
        assertEquals(whole.batchCount(), merged.batchCount());
        assertClose(whole, merged);
        Importance otherBatch = u.importance(m, new Batches(x.sliceBatch(16, N), null, 4));
        assertThrows(IllegalArgumentException.class, () -> Importance.merge(a, otherBatch));
    }

    /** One pass sums in float, the merge forms a weighted mean in double: equal up to float rounding. */
    private static void assertClose(Importance want, Importance got) {
        want.values().forEach((n, t) -> {
            float[] w = t.toArray();
            float[] g = got.get(n).toArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], g[i], 1e-6 * Math.abs(w[i]) + 1e-12, n + "[" + i + "]");
            }
        });
    }

    @Test
    void refusesImportanceOfOtherWeightsMethodsOrParameters() {
        TinyMlp m = model();
        Unlearner lfssd = Unlearner.lfssd().alpha(1.1).build();
        Importance omegaD = lfssd.importance(m, full());

        TinyMlp other = TinyMlp.random(new SplittableRandom(43), IN, HIDDEN, OUT);
        Map<String, float[]> otherBefore = weights(other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lfssd.forget(other, forgetSet(), omegaD));
        assertTrue(e.getMessage().contains("other weights"), e.getMessage());
        assertWeightsEqual(otherBefore, other);

        // A buffer-free model with the same names but other shapes.
        TinyMlp wider = TinyMlp.random(new SplittableRandom(42), IN, HIDDEN + 1, OUT);
        e = assertThrows(IllegalArgumentException.class, () -> lfssd.forget(wider, forgetSet(), omegaD));
        assertTrue(e.getMessage().contains("fc1.weight") && e.getMessage().contains("shape"), e.getMessage());

        Unlearner ssd = Unlearner.ssd().build();
        e = assertThrows(IllegalArgumentException.class, () -> ssd.forget(m, forgetSet(), omegaD));
        assertTrue(e.getMessage().contains("LFSSD"), e.getMessage());

        Unlearner fc2Only = Unlearner.lfssd().parameters(n -> n.startsWith("fc2.")).build();
        e = assertThrows(IllegalArgumentException.class, () -> fc2Only.forget(m, forgetSet(), omegaD));
        assertTrue(e.getMessage().contains("fc1."), e.getMessage());

        Unlearner perSample = Unlearner.lfssd().reduction(Reduction.PER_SAMPLE).build();
        assertThrows(IllegalArgumentException.class, () -> perSample.forget(m, forgetSet(), omegaD));

        // Deliberate reuse after an earlier edit is possible, but only when asked for.
        TinyMlp edited = model();
        edited.fc2.bias.value().data()[0] += 1f;
        assertThrows(IllegalArgumentException.class, () -> lfssd.forget(edited, forgetSet(), omegaD));
        Unlearner stale = Unlearner.lfssd().alpha(1.1).allowStaleImportance(true).build();
        assertTrue(stale.forget(edited, forgetSet(), omegaD).totalSelected() > 0);
    }

    @Test
    void parameterFilterRestrictsImportanceAndDampening() {
        TinyMlp m = model();
        Map<String, float[]> before = weights(m);
        Unlearner u = Unlearner.lfssd().alpha(1.1).lambda(0).parameters(n -> n.startsWith("fc2.")).build();
        Importance omegaD = u.importance(m, full());
        assertEquals(List.of("fc2.weight", "fc2.bias"), List.copyOf(omegaD.parameterNames()));
        DampeningReport r = u.forget(m, forgetSet(), omegaD);
        assertEquals(2, r.tensors().size());
        assertArrayEquals(before.get("fc1.weight"), m.fc1.weight.value().toArray());
        assertArrayEquals(before.get("fc1.bias"), m.fc1.bias.value().toArray());
    }

    @Test
    void nanInImportanceOrWeightsChangesNothing() {
        TinyMlp m = model();
        Unlearner u = Unlearner.lfssd().alpha(1.1).lambda(0).allowStaleImportance(true).build();
        Importance omegaD = u.importance(m, full());
        Importance omegaF = u.importance(m, forgetSet());
        Map<String, float[]> before = weights(m);

        // Ω_f with a NaN in the last tensor: earlier tensors have selected elements, yet none is written.
        Map<String, Tensor> corrupted = new LinkedHashMap<>();
        omegaF.values().forEach((n, t) -> corrupted.put(n, t.copy()));
        corrupted.get("fc2.bias").data()[1] = Float.NaN;
        Importance bad = new Importance(corrupted, omegaF.method(), omegaF.reduction(), omegaF.batchSize(),
                omegaF.sampleCount(), omegaF.batchCount(), omegaF.weightHash());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> u.dampen(m, bad, omegaD));
        assertTrue(e.getMessage().contains("fc2.bias"), e.getMessage());
        assertWeightsEqual(before, m);

        m.fc2.bias.value().data()[0] = Float.POSITIVE_INFINITY;
        before = weights(m);
        e = assertThrows(IllegalArgumentException.class, () -> u.dampen(m, omegaF, omegaD));
        assertTrue(e.getMessage().contains("'fc2.bias'"), e.getMessage());
        assertWeightsEqual(before, m);
    }

    @Test
    void interruptionChangesNothingAndRestoresTheModel() {
        TinyMlp m = model();
        m.train();
        Unlearner u = Unlearner.lfssd().alpha(1.1).build();
        Importance omegaD = u.importance(m, full());
        Map<String, float[]> before = weights(m);
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> u.forget(m, forgetSet(), omegaD));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        }
        assertWeightsEqual(before, m);
        assertTrue(m.isTraining());
        m.namedParameters().values().forEach(p -> assertNull(p.grad()));
    }

    @Test
    void ssdWithoutLabelsFailsClearlyAndRestoresTheModel() {
        TinyMlp m = model();
        m.train();
        Unlearner ssd = Unlearner.ssd().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ssd.importance(m, full().withoutLabels()));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        assertTrue(m.isTraining());
        m.namedParameters().values().forEach(p -> assertNull(p.grad()));
        // LFSSD never needs them.
        Importance omega = Unlearner.lfssd().build().importance(m, full().withoutLabels());
        assertEquals(N, omega.sampleCount());
    }

    @Test
    void mixedTrainingModesAreRestoredExactly() {
        TinyMlp m = model();
        m.train();
        m.fc1.eval();
        Unlearner.lfssd().build().importance(m, full());
        assertTrue(m.isTraining());
        assertFalse(m.fc1.isTraining());
        assertTrue(m.fc2.isTraining());
    }

    @Test
    @SuppressWarnings("try") // the grad-mode scope is used only for its effect
    void refusesToRunWithGradModeDisabled() {
        try (GradMode g = GradMode.disabled()) {
            assertThrows(IllegalStateException.class, () -> Unlearner.lfssd().build().importance(model(), full()));
        }
    }

    @Test
    void progressReportsEveryBatch() {
        List<String> events = new ArrayList<>();
        Unlearner u = Unlearner.lfssd().alpha(1.1).progress((phase, done, total) -> events.add(phase + " " + done + "/" + total)).build();
        TinyMlp m = model();
        Importance omegaD = u.importance(m, full());
        u.forget(m, forgetSet(), omegaD);
        assertEquals(List.of("importance 1/5", "importance 2/5", "importance 3/5", "importance 4/5", "importance 5/5",
                "forget-set importance 1/2", "forget-set importance 2/2"), events);
        // An Iterable of unknown size reports -1 as the total.
        events.clear();
        Iterable<Batch> stream = () -> full().iterator();
        u.importance(model(), stream);
        assertEquals("importance 5/-1", events.get(4));
    }

    @Test
    void warnsWithTheMaxRatioWhenAlphaIsOutOfReach() {
        Logger jul = Logger.getLogger(Unlearner.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(capture);
        try {
            TinyMlp m = model();
            Map<String, float[]> before = weights(m);
            // |D_f|/|D| = 1/4, so ratios hardly exceed 4: α = 10 (the published default) selects nothing.
            Unlearner u = Unlearner.lfssd().build();
            DampeningReport r = u.forget(m, forgetSet(), u.importance(m, full()));
            assertTrue(r.nothingSelected());
            assertTrue(r.maxRatio() > 1 && r.maxRatio() <= 10, "max ratio " + r.maxRatio());
            assertWeightsEqual(before, m);
            assertEquals(1, records.stream().filter(rec -> rec.getLevel() == java.util.logging.Level.WARNING).count());
            String msg = records.get(records.size() - 1).getMessage();
            assertTrue(msg.contains("selected no parameter") && msg.contains("1/φ = 4"), msg);
            assertTrue(r.toString().contains("no parameter selected"), r.toString());
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void maxRatioIsTheLargestElementRatio() {
        TinyMlp m = model();
        Unlearner u = Unlearner.lfssd().alpha(Double.POSITIVE_INFINITY).build();
        Importance omegaD = u.importance(m, full());
        Importance omegaF = u.importance(m, forgetSet());
        double max = Double.NEGATIVE_INFINITY;
        for (String n : omegaD.parameterNames()) {
            float[] f = omegaF.get(n).toArray();
            float[] d = omegaD.get(n).toArray();
            for (int i = 0; i < f.length; i++) {
                float r = f[i] / d[i];
                if (!Float.isNaN(r)) {
                    max = Math.max(max, r);
                }
            }
        }
        assertEquals(max, u.dampen(m, omegaF, omegaD).maxRatio());
    }

    /** A model with a parameter its forward never reads, like ViT's unused pooler. */
    static final class WithUnusedParameter extends org.lfssd.nn.Module {
        final TinyMlp mlp = registerModule("mlp", model());
        final Var pooler = registerParameter("pooler", Tensor.full(0.5f, 3));

        @Override
        public Var forward(Var input) {
            return mlp.forward(input);
        }
    }

    @Test
    void unusedParameterKeepsZeroImportanceAndIsNeverSelected() {
        WithUnusedParameter m = new WithUnusedParameter();
        // α = 0, λ = 0: every element with Ω_f > 0 is zeroed; the pooler has Ω = 0 and must stay.
        Unlearner u = Unlearner.lfssd().alpha(0).lambda(0).build();
        Importance omegaD = u.importance(m, full());
        assertArrayEquals(new float[3], omegaD.get("pooler").toArray());
        DampeningReport r = u.forget(m, forgetSet(), omegaD);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, m.pooler.value().toArray());
        assertEquals(0, r.tensors().stream().filter(t -> t.name().equals("pooler")).findFirst().orElseThrow().selected());
        assertTrue(r.totalSelected() > 0);
    }
}
