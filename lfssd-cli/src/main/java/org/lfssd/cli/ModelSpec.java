package org.lfssd.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.lfssd.eval.ModelFactory;
import org.lfssd.models.ResNet18;
import org.lfssd.models.TorchvisionResNet18;
import org.lfssd.models.VisionTransformer;
import org.lfssd.nn.Module;

/**
 * Which network a checkpoint holds: the architecture name and the sizes that shape its parameters.
 *
 * @param arch         {@code resnet18} (the SSD code's CIFAR ResNet18), {@code resnet18-tv-cifar} and
 *                     {@code resnet18-tv} (torchvision's names, CIFAR or ImageNet stem), {@code vit-tiny-32}
 *                     (ViT-Tiny 32/4) or {@code vit-tiny-224} (ViT-Tiny 224/16, timm's names)
 * @param classes      logits
 * @param inChannels   image channels
 * @param widthDivisor divides the ResNet widths 64/128/256/512 (1 is the real network)
 */
record ModelSpec(String arch, int classes, int inChannels, int widthDivisor) {
    static final List<String> ARCHS = List.of("resnet18", "resnet18-tv-cifar", "resnet18-tv", "vit-tiny-32", "vit-tiny-224");

    /** Checkpoint metadata keys the tool writes (and reads back, so its own checkpoints need no model options). */
    static final String KEY_ARCH = "lfssd.model";
    static final String KEY_CLASSES = "lfssd.classes";
    static final String KEY_CHANNELS = "lfssd.in_channels";
    static final String KEY_WIDTH = "lfssd.width_divisor";

    ModelSpec {
        if (!ARCHS.contains(arch)) {
            throw new InputRejectedException("unknown model '" + arch + "': expected one of " + ARCHS);
        }
        if (classes < 2 || inChannels < 1 || widthDivisor < 1 || 64 % widthDivisor != 0) {
            throw new InputRejectedException("model " + arch + ": invalid classes " + classes + ", input channels "
                    + inChannels + " or width divisor " + widthDivisor + " (must divide 64)");
        }
        if (arch.startsWith("vit") && (inChannels != 3 || widthDivisor != 1)) {
            throw new InputRejectedException("model " + arch + " takes 3-channel input at full width, got " + inChannels
                    + " channels, width divisor " + widthDivisor);
        }
    }

    Module create(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        switch (arch) {
            case "resnet18":
                return new ResNet18(classes, inChannels, widthDivisor, rng);
            case "resnet18-tv-cifar":
                return new TorchvisionResNet18(TorchvisionResNet18.Stem.CIFAR, classes, inChannels, widthDivisor, rng);
            case "resnet18-tv":
                return new TorchvisionResNet18(TorchvisionResNet18.Stem.IMAGENET, classes, inChannels, widthDivisor, rng);
            case "vit-tiny-32":
                return VisionTransformer.tinyPatch4x32(classes, rng);
            default:
                return VisionTransformer.tinyPatch16x224(classes, rng);
        }
    }

    ModelFactory factory() {
        return rng -> {
            // The factory's generator seeds a fresh model; draw one long so the result is a function of it.
            return create(rng.nextLong());
        };
    }

    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_ARCH, arch);
        m.put(KEY_CLASSES, Integer.toString(classes));
        m.put(KEY_CHANNELS, Integer.toString(inChannels));
        m.put(KEY_WIDTH, Integer.toString(widthDivisor));
        return m;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", arch);
        m.put("classes", classes);
        m.put("in_channels", inChannels);
        m.put("width_divisor", widthDivisor);
        return m;
    }

    @Override
    public String toString() {
        return arch + " (" + classes + " classes, " + inChannels + " input channels"
                + (widthDivisor > 1 ? ", width 1/" + widthDivisor : "") + ")";
    }

    /** The key whose shape gives the number of classes, and the first convolution's weight (out, in, kh, kw). */
    static String headKey(String arch) {
        return arch.startsWith("vit") ? "head.weight" : "fc.weight";
    }

    static String stemKey(String arch) {
        return switch (arch) {
            case "resnet18" -> "conv1.0.weight";
            case "resnet18-tv-cifar", "resnet18-tv" -> "conv1.weight";
            default -> "patch_embed.proj.weight";
        };
    }
}
