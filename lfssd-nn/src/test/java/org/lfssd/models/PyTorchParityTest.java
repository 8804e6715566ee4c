package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
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
 * Forward, gradient and BatchNorm-statistics parity with PyTorch 1.13 on the committed fixtures of
 * {@code src/test/python/make_model_fixtures.py}.
 *
 * <p>How errors are measured: logits pass when {@code max|java − torch| ≤ 1e-4 · max|torch logits|} over the
 * whole batch; each parameter's gradient when {@code max|java − torch| ≤ 1e-3 · max|torch gradient|} over
 * that tensor; running statistics when {@code max|java − torch| ≤ 1e-5 · max(1, max|torch|)}.
 * A table of the measured errors is printed after the class.
 */
class PyTorchParityTest {
    private static final double LOGIT_TOL = 1e-4;
    private static final double GRAD_TOL = 1e-3;
    private static final double STAT_TOL = 1e-5;
    private static final List<String> TABLE = new ArrayList<>();

    private static void record(String model, String what, double maxAbs, double rel) {
        TABLE.add(String.format(Locale.ROOT, "| %-28s | %-50s | %10.3e | %10.3e |", model, what, maxAbs, rel));
    }

    @AfterAll
    static void printTable() {
        System.out.println("PyTorch parity (rel = max abs error / max |torch value|)");
        System.out.println(String.format(Locale.ROOT, "| %-28s | %-50s | %10s | %10s |", "model", "quantity", "max abs", "rel"));
        TABLE.forEach(System.out::println);
    }

    /** Eval-mode logits of {@code input}, without recording. */
    @SuppressWarnings("try") // the grad-mode scope is only opened and closed
    private static Tensor evalLogits(Module model, Tensor input) {
        model.eval();
        try (GradMode g = GradMode.disabled()) {
            return model.forward(Var.constant(input)).value();
        }
    }

    private static void assertLogits(String name, Module model, Tensor input, Tensor expected) {
        Tensor logits = evalLogits(model, input);
        double err = ModelFixtures.maxAbsError(logits, expected);
        double rel = err / ModelFixtures.maxAbs(expected);
        record(name, "eval logits " + java.util.Arrays.toString(expected.shape()), err, rel);
        assertTrue(rel <= LOGIT_TOL, name + ": logits max abs error " + err + " = " + rel + " of max |logit|");
    }

    /** Gradients of the batch-mean squared logit norm in eval mode, against {@code grad.<key>} of the fixture. */
    private static void assertGradients(String name, Module model, Map<String, Tensor> io) {
        model.eval();
        model.clearGrads();
        F.meanSquaredNorm(model.forward(Var.constant(io.get("input")))).backward();
        double worstRel = 0;
        double worstAbs = 0;
        String worstKey = "";
        for (Map.Entry<String, Var> e : model.namedParameters().entrySet()) {
            Tensor expected = io.get("grad." + e.getKey());
            assertNotNull(expected, "fixture lacks grad." + e.getKey());
            Tensor actual = e.getValue().grad();
            assertNotNull(actual, "no gradient reached " + e.getKey());
            double err = ModelFixtures.maxAbsError(actual, expected);
            double rel = err / ModelFixtures.maxAbs(expected);
            assertTrue(rel <= GRAD_TOL, name + ": gradient of " + e.getKey() + " max abs error " + err + " = " + rel + " of max |grad|");
            if (rel > worstRel) {
                worstRel = rel;
                worstAbs = err;
                worstKey = e.getKey();
            }
        }
        record(name, "grads, worst: " + worstKey, worstAbs, worstRel);
    }

    @Test
    @SuppressWarnings("try") // the grad-mode scope is only opened and closed
    void reducedResNet18FromBf16Checkpoint() throws IOException {
        ResNet18 model = new ResNet18(10, 3, 16, new SplittableRandom(0));
        StateDicts.LoadResult r = Checkpoints.load(model, ModelFixtures.path("resnet18_w16/model.bf16.safetensors"), true);
        assertTrue(r.isExact());
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("resnet18_w16/io.safetensors"));
        assertLogits("resnet18 w/16 bf16", model, io.get("input"), io.get("logits"));
        assertGradients("resnet18 w/16 bf16", model, io);

        // One train-mode forward updates every BatchNorm's running statistics and counter as PyTorch does.
        model.train();
        try (GradMode g = GradMode.disabled()) {
            model.forward(Var.constant(io.get("input")));
        }
        double worst = 0;
        int checked = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            Tensor expected = io.get("after_train." + e.getKey());
            if (expected == null) {
                continue;
            }
            checked++;
            double err = ModelFixtures.maxAbsError(e.getValue(), expected);
            double scale = Math.max(1.0, ModelFixtures.maxAbs(expected));
            assertTrue(err <= STAT_TOL * scale, e.getKey() + " after a train-mode forward: max abs error " + err);
            worst = Math.max(worst, err / scale);
        }
        assertEquals(60, checked, "20 BatchNorms × (running_mean, running_var, num_batches_tracked)");
        assertEquals(8f, model.stateDict().get("conv1.1.num_batches_tracked").item(), "7 in the checkpoint, +1");
        record("resnet18 w/16 bf16", "BN running stats after train fwd", worst, worst);
    }

    @Test
    void reducedViTFromShardedCheckpoint() throws IOException {
        VisionTransformer model = new VisionTransformer(ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3), new SplittableRandom(0));
        StateDicts.LoadResult r = Checkpoints.load(model, ModelFixtures.path("vit_d48/model.safetensors.index.json"), true);
        assertTrue(r.isExact());
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("vit_d48/io.safetensors"));
        assertLogits("vit d48 depth2 (sharded)", model, io.get("input"), io.get("logits"));
        assertGradients("vit d48 depth2 (sharded)", model, io);
    }

    @Test
    void fullResNet18WithHashedWeights() throws IOException {
        ResNet18 model = new ResNet18(10, new SplittableRandom(0));
        model.loadStateDict(HashedWeights.state(model), true);
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("resnet18_full/io.safetensors"));
        assertLogits("resnet18 full (hashed)", model, io.get("input"), io.get("logits"));
    }

    @Test
    void fullViTTiny32WithHashedWeights() throws IOException {
        VisionTransformer model = VisionTransformer.tinyPatch4x32(10, new SplittableRandom(0));
        model.loadStateDict(HashedWeights.state(model), true);
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("vit_tiny_p4_32_full/io.safetensors"));
        assertLogits("vit-tiny 32/4 full (hashed)", model, io.get("input"), io.get("logits"));
    }
}
