package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.io.SafeTensors;
import org.lfssd.nn.StateDicts;
import org.lfssd.tensor.Tensor;

/**
 * Hugging Face ViT checkpoints: a small model with transformers' names, written in plain torch by
 * {@code src/test/python/make_hf_vit_fixture.py}, loaded through the key mapping, must give PyTorch's logits.
 */
class HuggingFaceViTTest {
    /** The fixture's shape: 32×32 input, patch 8, width 48, depth 2, 4 heads, MLP 96, 5 classes, eps 1e-12. */
    private static final ViTConfig CONFIG = new ViTConfig(32, 8, 3, 5, 48, 2, 4, 96, ViTConfig.HF_LAYER_NORM_EPS);

    @SuppressWarnings("try")
    private static float maxLogitError(VisionTransformer model) throws IOException {
        Map<String, Tensor> io = SafeTensors.read(ModelFixtures.path("hf_vit/io.safetensors"));
        Tensor want = io.get("logits");
        Tensor got;
        model.eval();
        try (GradMode g = GradMode.disabled()) {
            got = model.forward(Var.constant(io.get("input"))).value();
        }
        assertArrayEquals(want.shape(), got.shape());
        float max = 0;
        float[] a = want.toArray();
        float[] b = got.toArray();
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void singleFileWithClassifierGivesPyTorchsLogits() throws IOException {
        VisionTransformer model = new VisionTransformer(CONFIG, new SplittableRandom(3));
        HuggingFaceViT.load(model, ModelFixtures.path("hf_vit/model.safetensors"), HuggingFaceViT.Head.FROM_CHECKPOINT);
        float err = maxLogitError(model);
        System.out.println("HF ViT logits vs torch, max |diff| = " + err);
        assertTrue(err < 1e-5f, "max logit error " + err);
    }

    @Test
    void shardedCheckpointLoadsTheSameWeights() throws IOException {
        VisionTransformer a = new VisionTransformer(CONFIG, new SplittableRandom(3));
        HuggingFaceViT.load(a, ModelFixtures.path("hf_vit/model.safetensors"), HuggingFaceViT.Head.FROM_CHECKPOINT);
        VisionTransformer b = new VisionTransformer(CONFIG, new SplittableRandom(4));
        HuggingFaceViT.load(b, ModelFixtures.path("hf_vit/sharded/model.safetensors.index.json"), HuggingFaceViT.Head.FROM_CHECKPOINT);
        assertEquals(0f, StateDicts.maxAbsDifference(a.stateDict(), b.stateDict()));
    }

    @Test
    void newHeadKeepsTheModelsOwnHeadAndLoadsTheBackbone() throws IOException {
        VisionTransformer model = new VisionTransformer(CONFIG, new SplittableRandom(5));
        Tensor headBefore = model.head().weight().value().copy();
        HuggingFaceViT.load(model, ModelFixtures.path("hf_vit/model.safetensors"), HuggingFaceViT.Head.NEW);
        assertArrayEquals(headBefore.toArray(), model.head().weight().value().toArray());
        Map<String, Tensor> hf = SafeTensors.read(ModelFixtures.path("hf_vit/model.safetensors"));
        assertArrayEquals(hf.get("vit.encoder.layer.1.intermediate.dense.weight").toArray(),
                model.stateDict().get("blocks.1.mlp.fc1.weight").toArray());
        // qkv rows: query, then key, then value.
        float[] qkv = model.stateDict().get("blocks.0.attn.qkv.bias").toArray();
        float[] key = hf.get("vit.encoder.layer.0.attention.attention.key.bias").toArray();
        assertArrayEquals(key, java.util.Arrays.copyOfRange(qkv, 48, 96));
    }

    @Test
    void viTModelNamesWithoutPrefixMapToo() throws IOException {
        Map<String, Tensor> hf = SafeTensors.read(ModelFixtures.path("hf_vit/model.safetensors"));
        Map<String, Tensor> bare = new LinkedHashMap<>();
        hf.forEach((k, v) -> {
            if (!k.startsWith("classifier.")) {
                bare.put(k.substring("vit.".length()), v);
            }
        });
        Map<String, Tensor> timm = HuggingFaceViT.toTimm(bare, 2, HuggingFaceViT.Head.NEW);
        assertEquals(new VisionTransformer(CONFIG, new SplittableRandom(1)).stateDict().size() - 2, timm.size());
        assertTrue(timm.containsKey("blocks.1.attn.proj.weight") && !timm.containsKey("head.weight"));
    }

    @Test
    void unknownAndMissingKeysAreAllNamed() throws IOException {
        Map<String, Tensor> hf = new LinkedHashMap<>(SafeTensors.read(ModelFixtures.path("hf_vit/model.safetensors")));
        hf.remove("vit.encoder.layer.1.layernorm_after.bias");
        hf.remove("vit.encoder.layer.0.attention.attention.value.weight");
        hf.put("vit.encoder.layer.2.output.dense.weight", Tensor.zeros(48, 96));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HuggingFaceViT.toTimm(hf, 2, HuggingFaceViT.Head.FROM_CHECKPOINT));
        String m = e.getMessage();
        assertTrue(m.contains("vit.encoder.layer.1.layernorm_after.bias") && m.contains("attention.value.weight")
                && m.contains("vit.encoder.layer.2.output.dense.weight"), m);
        // A classifier of the wrong size is a shape mismatch named by the strict load.
        VisionTransformer ten = new VisionTransformer(new ViTConfig(32, 8, 3, 10, 48, 2, 4, 96, ViTConfig.HF_LAYER_NORM_EPS),
                new SplittableRandom(1));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> HuggingFaceViT.load(ten,
                ModelFixtures.path("hf_vit/model.safetensors"), HuggingFaceViT.Head.FROM_CHECKPOINT));
        assertTrue(e2.getMessage().contains("head.weight") && e2.getMessage().contains("model.safetensors"), e2.getMessage());
    }

    @Test
    void basePreset() {
        ViTConfig c = ViTConfig.basePatch16x224(100);
        assertEquals(768, c.embedDim());
        assertEquals(12, c.depth());
        assertEquals(12, c.numHeads());
        assertEquals(3072, c.mlpHidden());
        assertEquals(196, c.numPatches());
        assertEquals(1e-12f, c.layerNormEps());
        assertEquals(ViTConfig.LAYER_NORM_EPS, ViTConfig.tinyPatch4x32(10).layerNormEps());
    }
}
