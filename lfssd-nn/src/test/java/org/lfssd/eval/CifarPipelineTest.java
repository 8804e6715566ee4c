package org.lfssd.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.data.BilinearResize;
import org.lfssd.data.Cifar100;
import org.lfssd.data.Dataset;
import org.lfssd.data.Normalization;
import org.lfssd.data.RandomCropFlip;
import org.lfssd.data.Split;
import org.lfssd.models.VisionTransformer;
import org.lfssd.models.ViTConfig;
import org.lfssd.nn.Module;

/**
 * The CIFAR-20 sub-class path end to end on a synthetic {@code cifar-100-binary} directory written here:
 * reader, official normalisation, the sub-class split, a ViT fed through a per-batch bilinear upsampling
 * (32 → 48, as 32 → 224 in the papers), the head-only-reset retrain with the ViT's {@code "head."}, and the
 * official-quirk switches of the metrics.
 */
class CifarPipelineTest {
    @TempDir
    Path dir;

    /** Records (coarse, fine, 3,072 pixels): fine classes 0..3, fine 0 and 1 in superclass 0, 2 and 3 in superclass 1. */
    private void write(String name, int perFine, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = new byte[4 * perFine * 3074];
        int o = 0;
        for (int i = 0; i < 4 * perFine; i++) {
            int fine = i % 4;
            out[o++] = (byte) (fine / 2);
            out[o++] = (byte) fine;
            for (int p = 0; p < 3072; p++) {
                // A fine-class-specific brightness per channel plus noise, so the classes are learnable.
                int channel = p / 1024;
                out[o++] = (byte) Math.min(255, Math.max(0, 60 + 40 * ((fine + channel) % 4) + r.nextInt(50)));
            }
        }
        Files.write(dir.resolve(name), out);
    }

    @Test
    void subClassForgettingOnAViTWithResize() throws IOException {
        write("train.bin", 12, 1);
        write("test.bin", 4, 2);
        Cifar100 trainC = Cifar100.fromDirectory(dir, Split.TRAIN);
        Cifar100 testC = Cifar100.fromDirectory(dir, Split.TEST);
        Dataset train20 = Normalization.OFFICIAL.apply(trainC.cifar20());
        Dataset test20 = Normalization.OFFICIAL.apply(testC.cifar20());
        ForgettingSplit split = Scenarios.subClass(train20, trainC.fineLabels(), test20, testC.fineLabels(), 2, 1);
        assertEquals(12, split.forgetTrain().size());
        assertArrayEquals(new int[12], split.forgetTrain().labels(), "fine class 1 keeps superclass 0 as its target");
        assertEquals(4, split.forgetTest().size());

        ViTConfig config = new ViTConfig(48, 16, 3, 2, 16, 1, 2, 32, ViTConfig.HF_LAYER_NORM_EPS);
        ModelFactory factory = rng -> new VisionTransformer(config, rng);
        BilinearResize resize = new BilinearResize(48);
        Module original = factory.create(new SplittableRandom(7));
        TrainingRecipe recipe = new TrainingRecipe(2, 8, 0.02, 0.9, 5e-4, 1, new int[] {2}, 0.2,
                RandomCropFlip.forNormalized(4, Normalization.OFFICIAL));
        Trainer.train(original, train20, recipe, 3, resize);

        ResultTable correct = Experiment.builder(factory, original).split(split).inputTransform(resize).batchSize(16)
                .methods(ForgettingMethod.original(), ForgettingMethod.retrainHeadOnlyReset(TrainingRecipe.sgd(1, 8, 0.02), "head."),
                        ForgettingMethod.lfssd(1.2, 1))
                .build().run();
        ResultTable official = Experiment.builder(factory, original).split(split).inputTransform(resize).batchSize(16)
                .methods(ForgettingMethod.original())
                .accuracyMode(AccuracyMode.OFFICIAL_BATCH_MEAN).zrfFormula(ZrfFormula.OFFICIAL_CODE)
                .teacherMode(TeacherMode.OFFICIAL_TRAIN_MODE)
                .build().run();
        ExperimentResult a = correct.get("original", 0);
        ExperimentResult b = official.get("original", 0);
        assertEquals("sub-class 1", a.scenario());
        assertTrue(correct.get("retrain-head-reset", 0).details().contains("re-initialised 2 tensor(s) under \"head.\""));
        // Retain-train has 36 samples: batches of 16, 16, 4, so the official per-batch mean differs unless all
        // batches score alike; the test set (16) is one full batch, so both agree there.
        assertEquals(a.testAccuracy(), b.testAccuracy(), 1e-12);
        assertEquals(a.mia(), b.mia(), 1e-12, "the MIA has one definition");
        assertNotEquals(a.zrf(), b.zrf());
        for (ExperimentResult r : correct.rows()) {
            for (double v : new double[] {r.testAccuracy(), r.retainTestAccuracy(), r.forgetTestAccuracy(), r.mia()}) {
                assertTrue(v >= 0 && v <= 1, r.method() + " " + v);
            }
        }
        assertTrue(correct.toCsv().startsWith("scenario,method,seed,test_acc,"));
    }
}
