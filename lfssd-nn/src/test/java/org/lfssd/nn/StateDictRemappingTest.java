package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.models.ResNet18;
import org.lfssd.models.TorchvisionResNet18;
import org.lfssd.tensor.Tensor;

/** StateDicts' remapping API, and load errors that are short and say what the mismatch looks like. */
class StateDictRemappingTest {

    static Map<String, Tensor> state(String... keys) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (String k : keys) {
            s.put(k, Tensor.zeros(1));
        }
        return s;
    }

    @Test
    void stripPrefixRemovesItWherePresentAndKeepsOrderAndTensors() {
        Map<String, Tensor> s = state("module.conv1.weight", "module.fc.bias", "extra");
        Map<String, Tensor> out = StateDicts.stripPrefix(s, "module.");
        assertEquals(List.of("conv1.weight", "fc.bias", "extra"), List.copyOf(out.keySet()));
        assertSame(s.get("module.fc.bias"), out.get("fc.bias"));
        assertEquals(List.of("backbone.conv1.weight", "backbone.fc.bias", "backbone.extra"),
                List.copyOf(StateDicts.addPrefix(out, "backbone.").keySet()));
    }

    @Test
    void renameByRuleOrRegexDropsAndRefusesCollisions() {
        Map<String, Tensor> s = state("encoder.layer.0.w", "encoder.layer.11.w", "pooler.w");
        assertEquals(List.of("blocks.0.w", "blocks.11.w", "pooler.w"),
                List.copyOf(StateDicts.rename(s, "^encoder\\.layer\\.(\\d+)\\.", "blocks.$1.").keySet()));
        assertEquals(List.of("encoder.layer.0.w", "encoder.layer.11.w"),
                List.copyOf(StateDicts.rename(s, k -> k.startsWith("pooler.") ? null : k).keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateDicts.rename(s, k -> "same"));
        assertEquals("StateDicts.rename: 'encoder.layer.0.w' and 'encoder.layer.11.w' both become 'same'", e.getMessage());
    }

    @Test
    void aDataParallelCheckpointIsRecognisedAndLoadsAfterStripping() {
        ResNet18 source = new ResNet18(10, 3, 16, new SplittableRandom(1));
        Map<String, Tensor> saved = StateDicts.addPrefix(source.stateDict(), "module.");
        ResNet18 target = new ResNet18(10, 3, 16, new SplittableRandom(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(saved, true));
        String msg = e.getMessage();
        int n = source.stateDict().size();
        assertTrue(msg.startsWith("loadStateDict(ResNet18, strict): " + n + " missing key(s) [conv1.0.weight, "), msg);
        assertTrue(msg.contains("… and " + (n - 10) + " more; " + n + " unexpected key(s) [module.conv1.0.weight"), msg);
        assertTrue(msg.endsWith("Every checkpoint key differs from the model's by the prefix 'module.' (saved from"
                + " DataParallel/DistributedDataParallel): load StateDicts.stripPrefix(state, \"module.\")."), msg);
        assertTrue(msg.length() < 1500, "a short message, got " + msg.length() + " chars");
        assertTrue(target.loadStateDict(StateDicts.stripPrefix(saved, "module."), true).isExact());
        assertEquals(0f, StateDicts.maxAbsDifference(source.stateDict(), target.stateDict()));
    }

    /** A model that holds a ResNet18 as its child {@code backbone}, so every key gains that prefix. */
    static final class Wrapped extends Module {
        final ResNet18 backbone = registerModule("backbone", new ResNet18(10, 3, 16, new SplittableRandom(3)));

        @Override
        public org.lfssd.autograd.Var forward(org.lfssd.autograd.Var x) {
            return backbone.forward(x);
        }
    }

    @Test
    void aCheckpointWithoutTheModelsPrefixIsRecognised() {
        Map<String, Tensor> bare = new ResNet18(10, 3, 16, new SplittableRandom(4)).stateDict();
        Wrapped w = new Wrapped();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.loadStateDict(bare, true));
        assertTrue(e.getMessage().endsWith("Every model key is a checkpoint key with the prefix 'backbone.': load"
                + " StateDicts.addPrefix(state, \"backbone.\")."), e.getMessage());
        assertTrue(w.loadStateDict(StateDicts.addPrefix(bare, "backbone."), true).isExact());
        assertEquals("backbone.conv2_x.0.residual_function.0", w.backbone.namedModules().get("conv2_x.0.residual_function.0").path());
    }

    @Test
    void aTorchvisionCheckpointIsNamedAsSuch() {
        Map<String, Tensor> tv = new TorchvisionResNet18(TorchvisionResNet18.Stem.CIFAR, 10, 3, 16, new SplittableRandom(0))
                .stateDict();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResNet18(10, 3, 16, new SplittableRandom(0)).loadStateDict(tv, true));
        assertTrue(e.getMessage().contains("The checkpoint looks like torchvision's ResNet18 (conv1/bn1/layer1..4/fc):"
                + " use org.lfssd.models.TorchvisionResNet18"), e.getMessage());
        Map<String, Tensor> ssd = new ResNet18(10, 3, 16, new SplittableRandom(0)).stateDict();
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> TorchvisionResNet18.cifar(10, new SplittableRandom(0)).loadStateDict(ssd, true));
        assertTrue(back.getMessage().contains("looks like the SSD code's CIFAR ResNet18"), back.getMessage());
    }

    @Test
    void anotherWidthListsTenMismatchesAndSaysSo() {
        Map<String, Tensor> narrow = new ResNet18(10, 3, 16, new SplittableRandom(0)).stateDict();
        ResNet18 wide = new ResNet18(10, 3, 8, new SplittableRandom(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wide.loadStateDict(narrow, true));
        String msg = e.getMessage();
        // Every tensor but the 20 counters and fc.bias changes size with the width: 101 of 122.
        assertTrue(msg.startsWith("loadStateDict(ResNet18, strict): 101 shape mismatch(es) [conv1.0.weight (model [8, 3, 3, 3],"
                + " checkpoint [4, 3, 3, 3])"), msg);
        assertTrue(msg.contains("… and 91 more."), msg);
        assertTrue(msg.endsWith("All keys match but 101 of 122 shapes differ: the checkpoint is a model of another size"
                + " (width, depth of channels or number of classes); build the model with the checkpoint's configuration."), msg);
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(StateDictRemappingTest.class.getResource("/fixtures/models/" + name).toURI());
    }

    @Test
    void torchSaveFilesAreRecognisedWithTheExport() throws Exception {
        for (String f : List.of("torch_save/tiny_zip.pt", "torch_save/tiny_legacy.pt")) {
            Path p = resource(f);
            IOException e = assertThrows(IOException.class, () -> Checkpoints.load(new Linear(3, 2, new SplittableRandom(0)), p));
            String msg = e.getMessage();
            assertTrue(msg.startsWith(p + " is a PyTorch torch.save file (" + (f.contains("zip") ? "a zip archive" : "a Python pickle (protocol 2)")),
                    msg);
            assertTrue(msg.contains("\n    import torch; from safetensors.torch import save_file\n    save_file({k: v.contiguous()"
                    + " for k, v in torch.load(\"model.pt\", map_location=\"cpu\").items()}, \"model.safetensors\")\n"), msg);
        }
    }
}
