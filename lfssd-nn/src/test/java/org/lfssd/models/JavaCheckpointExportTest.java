package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.io.SafeTensors;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;
import org.lfssd.nn.StateDicts;
import org.lfssd.optim.SGD;
import org.lfssd.optim.TrainStep;
import org.lfssd.tensor.Tensor;

/**
 * Saves models from Java in the layout PyTorch reads, into {@code target/java-checkpoints/}, together with
 * an input and Java's eval logits. {@code make_model_fixtures.py --check-java-checkpoint PATH} loads such a
 * file strictly into the torch model and compares the logits (run by hand; CI has no torch). Here we check
 * the Java side: the round trip is exact and the counters are stored as I64.
 */
class JavaCheckpointExportTest {
    private static final Path OUT = Path.of("target", "java-checkpoints");

    /** Each tensor's stored dtype, from the JSON header after the 8-byte little-endian length. */
    private static Map<String, String> storedDtypes(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (raw[i] & 0xff);
        }
        Map<String, String> dtypes = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(raw, 8, (int) n)) {
            p.nextToken(); // the header object
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken(); // this tensor's object (or __metadata__)
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("dtype")) {
                        dtypes.put(name, p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        return dtypes;
    }

    @SuppressWarnings("try") // the grad-mode scope is only opened and closed
    private static void export(String name, Module model, Tensor input, Map<String, String> metadata) throws IOException {
        Files.createDirectories(OUT);
        Path ckpt = OUT.resolve(name + ".safetensors");
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", "pt");
        meta.put("io_file", name + ".io.safetensors");
        Checkpoints.save(model, ckpt, meta);
        model.eval();
        Tensor logits;
        try (GradMode g = GradMode.disabled()) {
            logits = model.forward(Var.constant(input)).value();
        }
        Map<String, Tensor> io = new LinkedHashMap<>();
        io.put("input", input);
        io.put("logits", logits);
        SafeTensors.write(OUT.resolve(name + ".io.safetensors"), io, Map.of());

        // Java reads back exactly what it wrote, with PyTorch's dtypes.
        Map<String, Tensor> back = Checkpoints.read(ckpt);
        assertEquals(List.copyOf(model.stateDict().keySet()), List.copyOf(back.keySet()));
        assertEquals(0f, StateDicts.maxAbsDifference(model.stateDict(), back));
        assertEquals(meta, SafeTensors.readMetadata(ckpt));
        Map<String, String> dtypes = storedDtypes(ckpt);
        model.stateDict().keySet().forEach(k ->
                assertEquals(model.integerStateKeys().contains(k) ? "I64" : "F32", dtypes.get(k), "dtype of " + k));
    }

    @Test
    void exportTrainedReducedResNet18() throws IOException {
        ResNet18 model = new ResNet18(10, 3, 16, new SplittableRandom(11));
        Tensor x = Tensor.randn(new SplittableRandom(12), 0f, 1f, 4, 3, 16, 16);
        // Two training steps: BN statistics move and num_batches_tracked becomes 2.
        SGD sgd = new SGD(model.namedParameters().values(), 0.05, 0.9, 5e-4, true);
        TrainStep.crossEntropy(model, sgd, x, new int[] {1, 2, 3, 4});
        TrainStep.crossEntropy(model, sgd, x, new int[] {1, 2, 3, 4});
        assertEquals(2f, model.stateDict().get("conv5_x.1.residual_function.4.num_batches_tracked").item());
        export("resnet18_w16", model, x, Map.of("arch", "resnet18", "num_classes", "10", "in_channels", "3",
                "width_divisor", "16"));
        assertTrue(Files.size(OUT.resolve("resnet18_w16.safetensors")) > 100_000);
    }

    @Test
    void exportReducedViT() throws IOException {
        ViTConfig c = ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3);
        VisionTransformer model = new VisionTransformer(c, new SplittableRandom(13));
        Tensor x = Tensor.randn(new SplittableRandom(14), 0f, 1f, 2, 3, 16, 16);
        export("vit_d48", model, x, Map.of("arch", "vit", "num_classes", "10", "img_size", "16", "patch_size", "4",
                "embed_dim", "48", "depth", "2", "num_heads", "3"));
    }
}
