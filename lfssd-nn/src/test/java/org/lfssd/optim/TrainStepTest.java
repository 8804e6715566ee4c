package org.lfssd.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.models.ResNet18;
import org.lfssd.models.ViTConfig;
import org.lfssd.models.VisionTransformer;
import org.lfssd.nn.Linear;
import org.lfssd.nn.ReLU;
import org.lfssd.nn.Sequential;
import org.lfssd.tensor.Tensor;

/** Tiny training runs: the cross-entropy step helper with each optimiser must fit a small fixed batch. */
class TrainStepTest {

    /** 32 points in 2-D, labelled by quadrant: learnable by a small MLP, not by chance. */
    private static Tensor points(int[] labels) {
        SplittableRandom rng = new SplittableRandom(21);
        float[] xs = new float[labels.length * 2];
        for (int i = 0; i < labels.length; i++) {
            float a = (float) (rng.nextDouble() * 2 - 1);
            float b = (float) (rng.nextDouble() * 2 - 1);
            xs[2 * i] = a;
            xs[2 * i + 1] = b;
            labels[i] = (a > 0 ? 1 : 0) + (b > 0 ? 2 : 0);
        }
        return Tensor.fromArray(xs, labels.length, 2);
    }

    @Test
    void mlpWithNesterovSgdAndCosineScheduleFitsQuadrants() {
        SplittableRandom rng = new SplittableRandom(22);
        Sequential mlp = new Sequential(new Linear(2, 32, rng), new ReLU(), new Linear(32, 4, rng));
        int[] labels = new int[32];
        Tensor x = points(labels);
        SGD sgd = new SGD(mlp.namedParameters().values(), 0.5, 0.9, 1e-4, true);
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(0.5, 0.01, 5, 60);
        float first = TrainStep.crossEntropy(mlp, sgd, schedule, 0, x, labels);
        float last = first;
        for (int step = 1; step < 60; step++) {
            last = TrainStep.crossEntropy(mlp, sgd, schedule, step, x, labels);
        }
        // ln 4 ≈ 1.386 at chance; the fitted loss must be a fraction of the start.
        assertTrue(first > 1.0f, "initial loss " + first);
        assertTrue(last < 0.25f * first, "loss went from " + first + " to " + last);
    }

    @Test
    void reducedResNet18WithAdamWLowersTheLoss() {
        ResNet18 model = new ResNet18(4, 3, 16, new SplittableRandom(23));
        Tensor x = Tensor.randn(new SplittableRandom(24), 0f, 1f, 8, 3, 8, 8);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
        AdamW adam = new AdamW(model.namedParameters().values(), 3e-3);
        float first = TrainStep.crossEntropy(model, adam, x, labels);
        float last = first;
        for (int step = 1; step < 8; step++) {
            last = TrainStep.crossEntropy(model, adam, x, labels);
        }
        assertTrue(last < 0.5f * first, "loss went from " + first + " to " + last);
    }

    @Test
    void reducedViTWithAdamWLowersTheLoss() {
        VisionTransformer vit = new VisionTransformer(ViTConfig.tiny(8, 4, 4).withSize(24, 1, 2), new SplittableRandom(25));
        Tensor x = Tensor.randn(new SplittableRandom(26), 0f, 1f, 8, 3, 8, 8);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
        AdamW adam = new AdamW(vit.namedParameters().values(), 1e-2);
        float first = TrainStep.crossEntropy(vit, adam, x, labels);
        float last = first;
        for (int step = 1; step < 15; step++) {
            last = TrainStep.crossEntropy(vit, adam, x, labels);
        }
        assertTrue(last < 0.5f * first, "loss went from " + first + " to " + last);
    }

    @Test
    void labelCountMustMatchTheBatch() {
        Sequential m = new Sequential(new Linear(2, 2, new SplittableRandom(1)));
        SGD sgd = new SGD(m.namedParameters().values(), 0.1);
        assertThrows(IllegalArgumentException.class, () -> TrainStep.crossEntropy(m, sgd, Tensor.zeros(3, 2), new int[] {0, 1}));
    }
}
