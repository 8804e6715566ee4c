package org.lfssd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.data.Dataset;
import org.lfssd.io.DType;
import org.lfssd.io.SafeTensors;
import org.lfssd.io.SafeTensorsFile;
import org.lfssd.io.TensorInfo;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;
import org.lfssd.nn.StateDicts;
import org.lfssd.tensor.Tensor;

/**
 * A checkpoint file loaded into its model, with what the file says about itself: the stored float dtype,
 * the metadata, and (for checkpoints this tool wrote) the model spec, preprocessing and input shape.
 *
 * @param file     the file
 * @param model    the model holding its weights
 * @param spec     the architecture
 * @param dtype    the dtype of its floating-point tensors
 * @param metadata the safetensors metadata
 */
record Checkpoint(Path file, Module model, ModelSpec spec, DType dtype, Map<String, String> metadata) {
    static final String KEY_PREPROCESSING = "lfssd.preprocessing";
    static final String KEY_INPUT_SHAPE = "lfssd.input_shape";
    static final String KEY_DATA = "lfssd.data";

    /**
     * Loads {@code file}. The model comes from the file's own record, else from the options and the shapes of
     * the head and the first convolution.
     *
     * @param classesFallback the number of classes when neither the options nor the file give it
     * @throws InputRejectedException for a missing file or one that does not fit the model
     */
    static Checkpoint load(Path file, ModelOptions opts, int classesFallback) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputRejectedException(file + ": no such checkpoint file");
        }
        Map<String, Tensor> state = Checkpoints.read(file);
        Map<String, String> meta = new LinkedHashMap<>();
        DType dtype = DType.F32;
        Map<String, int[]> shapes = new LinkedHashMap<>();
        if (!file.getFileName().toString().endsWith(".index.json")) {
            try (SafeTensorsFile f = SafeTensors.open(file)) {
                meta.putAll(f.metadata());
                boolean found = false;
                for (String name : f.names()) {
                    TensorInfo info = f.info(name);
                    shapes.put(name, info.shape());
                    if (!found && (info.dtype() == DType.F32 || info.dtype() == DType.F16 || info.dtype() == DType.BF16)) {
                        dtype = info.dtype();
                        found = true;
                    }
                }
            }
        } else {
            state.forEach((k, t) -> shapes.put(k, t.shape()));
        }
        ModelSpec spec = spec(file, meta, shapes, opts, classesFallback);
        Module model = spec.create(0);
        try {
            StateDicts.load(model, state, true);
        } catch (IllegalArgumentException e) {
            throw new InputRejectedException(file + " does not fit the model " + spec + " (choose another with --model: "
                    + String.join(", ", ModelSpec.ARCHS) + "): " + e.getMessage(), e);
        }
        return new Checkpoint(file, model, spec, dtype, meta);
    }

    private static ModelSpec spec(Path file, Map<String, String> meta, Map<String, int[]> shapes, ModelOptions o,
                                  int classesFallback) {
        String recorded = meta.get(ModelSpec.KEY_ARCH);
        String arch = o.arch != null ? o.arch : recorded != null ? recorded : guessArch(shapes);
        if (!ModelSpec.ARCHS.contains(arch)) {
            throw new InputRejectedException("unknown model '" + arch + "': expected one of " + ModelSpec.ARCHS);
        }
        boolean fromMeta = recorded != null && recorded.equals(arch);
        int[] head = shapes.get(ModelSpec.headKey(arch));
        int[] stem = shapes.get(ModelSpec.stemKey(arch));
        int classes = o.classes != null ? o.classes
                : fromMeta ? intMeta(file, meta, ModelSpec.KEY_CLASSES)
                : head != null && head.length == 2 ? head[0] : classesFallback;
        int channels = fromMeta ? intMeta(file, meta, ModelSpec.KEY_CHANNELS)
                : stem != null && stem.length == 4 ? stem[1] : 3;
        int width = o.widthDivisor != null ? o.widthDivisor
                : fromMeta ? intMeta(file, meta, ModelSpec.KEY_WIDTH)
                : stem != null && stem.length == 4 && !arch.startsWith("vit") && stem[0] > 0 && 64 % stem[0] == 0 ? 64 / stem[0] : 1;
        return new ModelSpec(arch, classes, channels, width);
    }

    /**
     * The architecture a checkpoint without the tool's metadata most likely holds, from its key names and the
     * first layer's shape (PyTorch exports carry no model description); {@code resnet18} when nothing matches.
     */
    static String guessArch(Map<String, int[]> shapes) {
        int[] tvStem = shapes.get("conv1.weight");
        if (tvStem != null && tvStem.length == 4 && shapes.containsKey("layer1.0.conv1.weight")) {
            return tvStem[2] == 7 ? "resnet18-tv" : "resnet18-tv-cifar";
        }
        int[] patch = shapes.get("patch_embed.proj.weight");
        if (patch != null && patch.length == 4) {
            return patch[2] == 4 ? "vit-tiny-32" : "vit-tiny-224";
        }
        return "resnet18";
    }

    private static int intMeta(Path file, Map<String, String> meta, String key) {
        try {
            return Integer.parseInt(meta.get(key));
        } catch (NumberFormatException e) {
            throw new InputRejectedException(file + ": metadata '" + key + "' is not an integer: " + meta.get(key));
        }
    }

    /**
     * Refuses data whose preprocessing or image shape differs from what the checkpoint records, and data the
     * model cannot take (one image is run through it).
     */
    void requireFits(DataOptions.Prepared data) {
        String recorded = metadata.get(KEY_PREPROCESSING);
        if (recorded != null && !recorded.equals(data.preprocessing().canonical())) {
            throw new InputRejectedException(file + " was trained on images preprocessed as " + recorded
                    + ", but this request prepares them as " + data.preprocessing().canonical()
                    + "; pass the same --mean/--std/--pad/--resize/--channels");
        }
        int[] shape = sampleShape(data.train());
        String recordedShape = metadata.get(KEY_INPUT_SHAPE);
        if (recordedShape != null && !recordedShape.equals(shapeString(shape))) {
            throw new InputRejectedException("images of the wrong size: " + file + " expects " + recordedShape
                    + " input, the data give " + shapeString(shape));
        }
        if (spec.inChannels() != shape[0]) {
            throw new InputRejectedException("images of the wrong size: the model " + spec + " takes " + spec.inChannels()
                    + " channels, the data give " + shapeString(shape) + " (see --channels/--grey-to-rgb)");
        }
        requireRuns(model, data.train(), file.toString());
    }

    /** Runs one image through {@code model} and turns a shape error into an input error. */
    @SuppressWarnings("try")
    static void requireRuns(Module model, Dataset data, String what) {
        boolean training = model.isTraining();
        model.eval();
        try (GradMode g = GradMode.disabled()) {
            Tensor one = data.first(1).images();
            Tensor out = model.forward(Var.constant(one)).value();
            if (out.dim() != 2) {
                throw new InputRejectedException(what + ": the model returned shape " + Arrays.toString(out.shape()));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InputRejectedException("images of the wrong size for " + what + ": " + shapeString(sampleShape(data))
                    + " input fails in the model: " + e.getMessage(), e);
        } finally {
            model.train(training);
        }
    }

    static int[] sampleShape(Dataset d) {
        int[] s = d.images().shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    static String shapeString(int[] s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            sb.append(i == 0 ? "" : "x").append(s[i]);
        }
        return sb.toString();
    }

    /** The metadata a checkpoint written by this tool carries: the model, the preprocessing, the input shape. */
    static Map<String, String> toolMetadata(ModelSpec spec, DataOptions.Prepared data, String dataSpec) {
        Map<String, String> m = new LinkedHashMap<>(spec.metadata());
        m.put(KEY_PREPROCESSING, data.preprocessing().canonical());
        m.put(KEY_INPUT_SHAPE, shapeString(sampleShape(data.train())));
        m.put(KEY_DATA, dataSpec);
        return m;
    }

    static DType parseDtype(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new InputRejectedException("--dtype must be f32, f16 or bf16, got " + s);
        };
    }
}
