package org.lfssd.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Dataset;
import org.lfssd.kernels.Parallel;
import org.lfssd.models.ResNet18;
import org.lfssd.nn.Module;
import org.lfssd.nn.StateDicts;
import org.lfssd.tensor.Tensor;

/**
 * The experiment on a tiny synthetic task: bit-identical results on one and two threads, independent of the
 * method order, and the original model never modified.
 */
class ExperimentDeterminismTest {
    private static final ModelFactory FACTORY = rng -> new ResNet18(3, 1, 16, rng);

    /** 3 classes of 8×8 grey images: class k has a bright k-th third of rows, plus noise. */
    private static Dataset synthetic(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int p = 0; p < 64; p++) {
                int row = p / 8;
                px[i * 64 + p] = (float) ((row * 3 / 8 == y[i] ? 1.5 : 0) + 0.5 * r.nextGaussian());
            }
        }
        return new Dataset(Tensor.wrap(px, 0, n, 1, 8, 8), y);
    }

    private static ResultTable run(Module original, ForgettingSplit split, List<ForgettingMethod> methods) {
        return Experiment.builder(FACTORY, original).split(split).methods(methods.toArray(ForgettingMethod[]::new))
                .seeds(3).batchSize(16).build().run();
    }

    /** Every figure except the wall times. */
    private static String figures(ResultTable t, String method) {
        ExperimentResult r = t.get(method, 3);
        return List.of(r.testAccuracy(), r.retainTestAccuracy(), r.forgetTestAccuracy(), r.retainTrainAccuracy(),
                r.forgetTrainAccuracy(), r.mia(), r.zrf(), r.activationDistanceToOriginal(), r.activationDistanceToRetrain())
                + " " + r.details();
    }

    @Test
    void bitIdenticalAcrossThreadsAndMethodOrder() {
        Dataset train = synthetic(90, 1);
        Dataset test = synthetic(30, 2);
        Module original = FACTORY.create(new SplittableRandom(4));
        Trainer.train(original, train, TrainingRecipe.sgd(2, 16, 0.05), 5, null);
        var before = StateDicts.copy(original.stateDict());
        ForgettingSplit split = Scenarios.fullClass(train, test, 3, 2);
        List<ForgettingMethod> methods = List.of(ForgettingMethod.original(), ForgettingMethod.retrain(TrainingRecipe.sgd(1, 16, 0.05)),
                ForgettingMethod.retrainHeadOnlyReset(TrainingRecipe.sgd(1, 16, 0.05), "fc."),
                ForgettingMethod.finetune(TrainingRecipe.sgd(1, 16, 0.02)), ForgettingMethod.ssd(1.5, 1),
                ForgettingMethod.lfssd(1.5, 1), ForgettingMethod.assd());
        int threads = Parallel.threads();
        ResultTable one;
        ResultTable two;
        try {
            Parallel.setThreads(1);
            one = run(original, split, methods);
            Parallel.setThreads(2);
            List<ForgettingMethod> reversed = new java.util.ArrayList<>(methods);
            java.util.Collections.reverse(reversed);
            two = run(original, split, reversed);
        } finally {
            Parallel.setThreads(threads);
        }
        for (ForgettingMethod m : methods) {
            assertEquals(figures(one, m.name()), figures(two, m.name()), m.name());
        }
        assertEquals(0f, StateDicts.maxAbsDifference(before, original.stateDict()), "the original is never modified");
        assertNotEquals(figures(one, "retrain"), figures(one, "retrain-head-reset"));
        assertTrue(one.get("retrain-head-reset", 3).details().contains("\"fc.\""), one.get("retrain-head-reset", 3).details());
        assertEquals(0.0, one.get("original", 3).activationDistanceToOriginal());
        assertEquals(0.0, one.get("retrain", 3).activationDistanceToRetrain());
    }

    @Test
    void omegaDIsComputedOncePerKindAndPerOrderOfD() {
        Dataset train = synthetic(60, 1);
        Dataset test = synthetic(12, 2);
        Module original = FACTORY.create(new SplittableRandom(4));
        ImportanceCache cache = new ImportanceCache();
        ForgettingSplit fullClass = Scenarios.fullClass(train, test, 3, 1);
        var ssd = org.lfssd.unlearn.Unlearner.ssd().alpha(2).build();
        var assd = org.lfssd.unlearn.Unlearner.ssd().adaptiveAlpha().build();
        var lfssd = org.lfssd.unlearn.Unlearner.lfssd().alpha(2).build();
        ImportanceCache.Entry first = cache.fullImportance(ssd, new ForgettingContext(original, FACTORY, fullClass, 16, 0, cache, null));
        ImportanceCache.Entry again = cache.fullImportance(assd, new ForgettingContext(original, FACTORY, fullClass, 16, 9, cache, null));
        assertTrue(first == again, "SSD and ASSD share Omega_D across seeds");
        cache.fullImportance(lfssd, new ForgettingContext(original, FACTORY, fullClass, 16, 0, cache, null));
        assertEquals(2, cache.size());
        // Random forgetting: each seed's D ends with other samples, so its Omega_D is its own.
        cache.fullImportance(ssd, new ForgettingContext(original, FACTORY, Scenarios.random(train, test, 3, 0.1, 1), 16, 1, cache, null));
        cache.fullImportance(ssd, new ForgettingContext(original, FACTORY, Scenarios.random(train, test, 3, 0.1, 2), 16, 2, cache, null));
        assertEquals(4, cache.size());
        cache.fullImportance(ssd, new ForgettingContext(original, FACTORY, Scenarios.random(train, test, 3, 0.1, 2), 16, 2, cache, null));
        assertEquals(4, cache.size());
        // Another original (other weights) never gets a stale Omega_D: the entry is replaced.
        Module other = FACTORY.create(new SplittableRandom(5));
        ImportanceCache.Entry fresh = cache.fullImportance(ssd, new ForgettingContext(other, FACTORY, fullClass, 16, 0, cache, null));
        assertTrue(fresh != first);
        assertEquals(4, cache.size());
    }

    @Test
    void misconfigurationsAreNamed() {
        Module original = FACTORY.create(new SplittableRandom(4));
        assertThrows(IllegalArgumentException.class, () -> Experiment.builder(FACTORY, original)
                .methods(ForgettingMethod.original(), ForgettingMethod.original()));
        ForgettingSplit split = Scenarios.fullClass(synthetic(30, 1), synthetic(9, 2), 3, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.builder(FACTORY, original)
                .split(split).methods(ForgettingMethod.retrainHeadOnlyReset(TrainingRecipe.sgd(1, 16, 0.05), "head."))
                .build().run());
        assertTrue(e.getMessage().contains("\"head.\"") && e.getMessage().contains("fc.weight"), e.getMessage());
    }
}
