package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/** State-dict keys, order, shapes and parameter counts against PyTorch (keys.txt written by the fixture script). */
class ModelStructureTest {

    private static void assertSameKeysAndShapes(Map<String, int[]> expected, Map<String, Tensor> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "state-dict keys in PyTorch order");
        expected.forEach((k, shape) -> assertArrayEquals(shape, actual.get(k).shape(), "shape of " + k));
    }

    @Test
    void resnet18MatchesPyTorchKeysAndParameterCount() {
        ResNet18 model = new ResNet18(10, new SplittableRandom(1));
        assertSameKeysAndShapes(ModelFixtures.keys("resnet18_full/keys.txt"), model.stateDict());
        assertEquals(11_173_962L, model.parameterCount());
        // 20 BatchNorms, each with an int64 counter in checkpoints.
        List<String> counters = new ArrayList<>(model.integerStateKeys());
        assertEquals(20, counters.size());
        assertTrue(counters.stream().allMatch(k -> k.endsWith(".num_batches_tracked")));
        assertEquals("conv1.1.num_batches_tracked", counters.get(0));
    }

    @Test
    void resnet18ShortcutsAreProjectionsOnlyWhereShapesChange() {
        ResNet18 model = new ResNet18(10, new SplittableRandom(1));
        Map<String, Module> modules = model.namedModules();
        assertFalse(((BasicBlock) modules.get("conv2_x.0")).hasProjection());
        assertFalse(((BasicBlock) modules.get("conv2_x.1")).hasProjection());
        for (String stage : new String[] {"conv3_x", "conv4_x", "conv5_x"}) {
            assertTrue(((BasicBlock) modules.get(stage + ".0")).hasProjection(), stage);
            assertFalse(((BasicBlock) modules.get(stage + ".1")).hasProjection(), stage);
        }
    }

    @Test
    void resnet18WidthDivisorAndInputChannels() {
        ResNet18 model = new ResNet18(7, 1, 16, new SplittableRandom(1));
        Map<String, Tensor> sd = model.stateDict();
        assertArrayEquals(new int[] {4, 1, 3, 3}, sd.get("conv1.0.weight").shape());
        assertArrayEquals(new int[] {32, 16, 1, 1}, sd.get("conv5_x.0.shortcut.0.weight").shape());
        assertArrayEquals(new int[] {7, 32}, sd.get("fc.weight").shape());
        assertThrows(IllegalArgumentException.class, () -> new ResNet18(10, 3, 3, new SplittableRandom(1)));
    }

    @Test
    void vitTinyMatchesTimmKeysAndParameterCounts() {
        VisionTransformer vit = VisionTransformer.tinyPatch4x32(10, new SplittableRandom(2));
        assertSameKeysAndShapes(ModelFixtures.keys("vit_tiny_p4_32_full/keys.txt"), vit.stateDict());
        assertEquals(5_362_762L, vit.parameterCount());
        assertTrue(vit.integerStateKeys().isEmpty());
        // timm's vit_tiny_patch16_224 has 5,717,416 parameters with the 1000-class head.
        VisionTransformer vit224 = VisionTransformer.tinyPatch16x224(1000, new SplittableRandom(3));
        assertEquals(5_717_416L, vit224.parameterCount());
        assertArrayEquals(new int[] {1, 197, 192}, vit224.posEmbed().shape());
    }

    @Test
    void vitConfigRejectsInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> ViTConfig.tiny(30, 4, 10));
        assertThrows(IllegalArgumentException.class, () -> ViTConfig.tiny(32, 4, 10).withSize(50, 2, 3));
        ViTConfig small = ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3);
        assertEquals(192, small.mlpHidden());
        assertEquals(16, small.numPatches());
    }

    @Test
    void vitInitialisationFollowsTheReference() {
        VisionTransformer vit = new VisionTransformer(ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3), new SplittableRandom(5));
        Map<String, Tensor> sd = vit.stateDict();
        // Linear weights: truncated normal with std 0.02 (sample std within a few percent); biases zero.
        Tensor qkv = sd.get("blocks.0.attn.qkv.weight");
        double sumSq = 0;
        for (float v : qkv.toArray()) {
            sumSq += (double) v * v;
        }
        assertEquals(0.02, Math.sqrt(sumSq / qkv.numel()), 0.001);
        assertEquals(0f, maxAbs(sd.get("blocks.1.mlp.fc2.bias")));
        assertEquals(0f, maxAbs(sd.get("head.bias")));
        // Class token ~ N(0, 1e-6); LayerNorms ones/zeros.
        assertTrue(maxAbs(sd.get("cls_token")) < 1e-5);
        assertEquals(1f, sd.get("norm.weight").get(7));
        // The patch conv keeps PyTorch's default: uniform within 1/sqrt(fan_in) = 1/sqrt(48).
        assertTrue(maxAbs(sd.get("patch_embed.proj.weight")) <= 1 / Math.sqrt(48));
        // Same seed, same model.
        VisionTransformer again = new VisionTransformer(vit.config(), new SplittableRandom(5));
        again.stateDict().forEach((k, t) -> assertArrayEquals(sd.get(k).toArray(), t.toArray(), k));
    }

    @Test
    void trainAndEvalReachEveryModule() {
        ResNet18 model = new ResNet18(10, 3, 16, new SplittableRandom(1));
        model.eval();
        assertTrue(model.namedModules().values().stream().noneMatch(Module::isTraining));
        model.train();
        assertTrue(model.namedModules().values().stream().allMatch(Module::isTraining));
        long bns = model.namedModules().values().stream().filter(m -> m instanceof BatchNorm2d).count();
        assertEquals(20, bns);
    }

    private static float maxAbs(Tensor t) {
        return (float) ModelFixtures.maxAbs(t);
    }
}
