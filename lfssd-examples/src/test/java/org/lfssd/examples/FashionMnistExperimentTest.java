package org.lfssd.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Dataset;
import org.lfssd.data.Normalization;
import org.lfssd.demo.FashionMnist;
import org.lfssd.eval.Experiment;
import org.lfssd.eval.ExperimentResult;
import org.lfssd.eval.ForgettingMethod;
import org.lfssd.eval.ForgettingSplit;
import org.lfssd.eval.ImportanceCache;
import org.lfssd.eval.ModelFactory;
import org.lfssd.eval.ResultTable;
import org.lfssd.eval.Scenarios;
import org.lfssd.eval.Trainer;
import org.lfssd.eval.TrainingRecipe;
import org.lfssd.models.ResNet18;
import org.lfssd.nn.Module;

/**
 * The whole protocol end to end on the embedded Fashion-MNIST subset (3,000 training / 1,000 test images):
 * a reduced-width ResNet18 (widths 4/8/16/32) is trained here from a fixed seed, then class 1 (Trouser) is
 * forgotten by every method, and every metric is computed. Lean enough for CI (a few minutes on two cores).
 *
 * <p>Settings that differ from the papers, for time: the original trains 5 epochs (SGD lr 0.05, ×0.2 from
 * epoch 4); retrain from scratch uses the same recipe on D_r; finetune and the head-only-reset retrain run 1
 * epoch of the official finetune recipe instead of 5 / the full schedule. α = 7 for SSD and LFSSD: with one
 * class of ten forgotten, φ = |D_f|/|D| = 0.1 and the ratios Ω_f/Ω_D hardly exceed 1/φ (ALGORITHM.md's
 * warning), so the papers' α = 10 would select nothing on this data.
 */
class FashionMnistExperimentTest {
    private static final int FORGET_CLASS = 1;
    private static final double ALPHA = 7;

    @Test
    void lfssdForgetsTheClassAndKeepsTheRest() throws IOException {
        long t0 = System.nanoTime();
        Normalization norm = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});
        Dataset train = norm.apply(FashionMnist.embedded(FashionMnist.Split.TRAIN));
        Dataset test = norm.apply(FashionMnist.embedded(FashionMnist.Split.TEST));
        ModelFactory factory = rng -> new ResNet18(FashionMnist.NUM_CLASSES, 1, 16, rng);
        TrainingRecipe recipe = new TrainingRecipe(5, 64, 0.05, 0.9, 5e-4, 0, new int[] {4}, 0.2, null);
        Module original = factory.create(new SplittableRandom(1));
        Trainer.train(original, train, recipe, 2, null);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        ForgettingSplit split = Scenarios.fullClass(train, test, FashionMnist.NUM_CLASSES, FORGET_CLASS);
        assertEquals(train.classCounts(10)[FORGET_CLASS], split.forgetTrain().size());
        assertEquals(321, split.forgetTrain().size(), "the subset's Trouser images");
        ImportanceCache cache = new ImportanceCache();
        TrainingRecipe oneEpochFinetune = TrainingRecipe.officialFinetune().withEpochs(1);
        ResultTable table = Experiment.builder(factory, original)
                .split(split)
                .methods(ForgettingMethod.original(),
                        ForgettingMethod.retrain(recipe),
                        ForgettingMethod.retrainHeadOnlyReset(oneEpochFinetune, "fc."),
                        ForgettingMethod.finetune(oneEpochFinetune),
                        ForgettingMethod.ssd(ALPHA, 1),
                        ForgettingMethod.lfssd(ALPHA, 1),
                        ForgettingMethod.assd())
                .seeds(0)
                .importances(cache)
                .build().run();
        double totalSeconds = (System.nanoTime() - t0) / 1e9;

        Path out = Path.of("target", "eval");
        Files.createDirectories(out);
        table.writeCsv(out.resolve("fashion-mnist-full-class-1.csv"));
        table.writeJson(out.resolve("fashion-mnist-full-class-1.json"));
        System.out.print(table.format());
        for (ExperimentResult r : table.rows()) {
            System.out.println(r.method() + ": " + r.details());
        }
        System.out.printf(Locale.ROOT, "original trained in %.1f s; whole test %.1f s%n", trainSeconds, totalSeconds);

        ExperimentResult orig = table.get("original", 0);
        ExperimentResult lfssd = table.get("lfssd", 0);
        ExperimentResult retrain = table.get("retrain", 0);
        assertTrue(orig.forgetTestAccuracy() > 0.9, "the original knows the class: " + orig.forgetTestAccuracy());
        assertTrue(orig.retainTestAccuracy() > 0.75, "the original is trained: " + orig.retainTestAccuracy());
        // The acceptance criterion of the issue.
        assertTrue(lfssd.forgetTestAccuracy() < 0.05, "LFSSD forget-class test accuracy " + lfssd.forgetTestAccuracy());
        assertTrue(lfssd.forgetTrainAccuracy() < 0.05, "LFSSD forget-train accuracy " + lfssd.forgetTrainAccuracy());
        assertTrue(Math.abs(lfssd.retainTestAccuracy() - orig.retainTestAccuracy()) <= 0.05,
                "LFSSD retain accuracy " + lfssd.retainTestAccuracy() + " vs original " + orig.retainTestAccuracy());
        // A model that never saw the class never predicts it.
        assertEquals(0.0, retrain.forgetTestAccuracy());
        assertTrue(lfssd.mia() < orig.mia(), "MIA falls: " + lfssd.mia() + " vs " + orig.mia());
        assertEquals(0.0, orig.activationDistanceToOriginal());
        assertEquals(0.0, retrain.activationDistanceToRetrain());
        assertTrue(lfssd.activationDistanceToRetrain() < orig.activationDistanceToRetrain(),
                "LFSSD moves towards the retrained model on D_f");
        for (ExperimentResult r : table.rows()) {
            assertTrue(r.zrf() >= 1 - Math.log(2) - 1e-12 && r.zrf() <= 1, r.method() + " ZRF " + r.zrf());
            assertTrue(r.seconds() >= 0 && Double.isFinite(r.seconds()), r.method() + " time");
        }
        // One Ω_D per importance kind: SSD and ASSD share the Fisher one, LFSSD has its own.
        assertEquals(2, cache.size());
        assertEquals(table.get("ssd", 0).omegaDSeconds(), table.get("assd", 0).omegaDSeconds());
        assertEquals(8, table.toCsv().split("\n").length);
        assertTrue(table.toJson().contains("\"method\" : \"lfssd\""), table.toJson());
    }
}
