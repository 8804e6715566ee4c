package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.F;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.io.SafeTensors;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;
import org.lfssd.nn.StateDicts;
import org.lfssd.tensor.Tensor;

/**
 * {@link TorchvisionResNet18} against torchvision: state-dict keys and shapes of the real
 * {@code torchvision.models.resnet18}, eval logits of the real model (hashed weights, both stems), and
 * logits and gradients of reduced-width models assembled from torchvision's {@code BasicBlock}
 * (fixtures of {@code src/test/python/make_torchvision_fixtures.py}, torch 1.13 / torchvision 0.14).
 *
 * <p>Tolerances as in {@link PyTorchParityTest}: logits within 1e-4 of max |torch logit|, each gradient
 * within 1e-3 of its max |torch gradient|.
 */
class TorchvisionParityTest {
    private static final double LOGIT_TOL = 1e-4;
    private static final double GRAD_TOL = 1e-3;

    @SuppressWarnings("try") // the grad-mode scope is only opened and closed
    private static double logitError(Module model, Tensor input, Tensor expected) {
        model.eval();
        Tensor logits;
        try (GradMode g = GradMode.disabled()) {
            logits = model.forward(Var.constant(input)).value();
        }
        return ModelFixtures.maxAbsError(logits, expected) / ModelFixtures.maxAbs(expected);
    }

    @Test
    void keysAndShapesAreTorchvisions() {
        for (TorchvisionResNet18.Stem stem : TorchvisionResNet18.Stem.values()) {
            Map<String, int[]> expected = ModelFixtures.keys("resnet18_" + stem.name().toLowerCase(Locale.ROOT) + "_full/keys.txt");
            TorchvisionResNet18 model = new TorchvisionResNet18(stem, 10, 3, 1, new SplittableRandom(0));
            Map<String, Tensor> actual = model.stateDict();
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), stem + " keys in torch order");
            expected.forEach((k, shape) -> assertArrayEquals(shape, actual.get(k).shape(), stem + " shape of " + k));
        }
        // torchvision's count for 10 classes; the CIFAR stem has 3x3 instead of 7x7 conv1 weights.
        assertEquals(11_181_642L, TorchvisionResNet18.imagenet(10, new SplittableRandom(0)).parameterCount());
        assertEquals(11_181_642L - 64 * 3 * (49 - 9), TorchvisionResNet18.cifar(10, new SplittableRandom(0)).parameterCount());
    }

    @Test
    void fullImagenetStemMatchesTorchvisionResnet18() throws IOException {
        TorchvisionResNet18 model = TorchvisionResNet18.imagenet(10, new SplittableRandom(0));
        model.loadStateDict(HashedWeights.state(model), true);
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("resnet18_imagenet_full/io.safetensors"));
        double rel = logitError(model, io.get("input"), io.get("logits"));
        System.out.printf(Locale.ROOT, "torchvision resnet18 (ImageNet stem, 64x64, hashed): logits rel error %.3e%n", rel);
        assertTrue(rel <= LOGIT_TOL, "logits rel error " + rel);
    }

    @Test
    void fullCifarStemMatchesTorchvisionResnet18WithTheUsualSurgery() throws IOException {
        TorchvisionResNet18 model = TorchvisionResNet18.cifar(10, new SplittableRandom(0));
        model.loadStateDict(HashedWeights.state(model), true);
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("resnet18_cifar_full/io.safetensors"));
        double rel = logitError(model, io.get("input"), io.get("logits"));
        System.out.printf(Locale.ROOT, "torchvision resnet18 (CIFAR stem, 32x32, hashed): logits rel error %.3e%n", rel);
        assertTrue(rel <= LOGIT_TOL, "logits rel error " + rel);
    }

    @Test
    void reducedImagenetStemLogitsAndGradients() throws IOException {
        assertReduced(TorchvisionResNet18.Stem.IMAGENET, "resnet18_imagenet_w16");
    }

    @Test
    void reducedCifarStemLogitsAndGradients() throws IOException {
        assertReduced(TorchvisionResNet18.Stem.CIFAR, "resnet18_cifar_w16");
    }

    private static void assertReduced(TorchvisionResNet18.Stem stem, String dir) throws IOException {
        TorchvisionResNet18 model = new TorchvisionResNet18(stem, 10, 3, 16, new SplittableRandom(0));
        StateDicts.LoadResult r = Checkpoints.load(model, ModelFixtures.path(dir + "/model.safetensors"), true);
        assertTrue(r.isExact());
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path(dir + "/io.safetensors"));
        double rel = logitError(model, io.get("input"), io.get("logits"));
        assertTrue(rel <= LOGIT_TOL, dir + " logits rel error " + rel);

        model.eval();
        model.clearGrads();
        F.meanSquaredNorm(model.forward(Var.constant(io.get("input")))).backward();
        double worst = 0;
        String worstKey = "";
        for (Map.Entry<String, Var> e : model.namedParameters().entrySet()) {
            Tensor expected = io.get("grad." + e.getKey());
            assertNotNull(expected, "fixture lacks grad." + e.getKey());
            double g = ModelFixtures.maxAbsError(e.getValue().grad(), expected) / ModelFixtures.maxAbs(expected);
            assertTrue(g <= GRAD_TOL, dir + " gradient of " + e.getKey() + " rel error " + g);
            if (g > worst) {
                worst = g;
                worstKey = e.getKey();
            }
        }
        System.out.printf(Locale.ROOT, "%s: logits rel error %.3e, worst gradient rel error %.3e (%s)%n", dir, rel, worst,
                worstKey);
    }
}
