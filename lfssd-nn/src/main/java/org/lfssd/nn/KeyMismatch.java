package org.lfssd.nn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lfssd.tensor.Tensor;

/**
 * Turns the key and shape mismatches of a state-dict load into a message a person can act on: each list
 * capped at {@value #SHOWN} keys ("… and N more"), then what the mismatch looks like (a prefix such as
 * DataParallel's {@code module.}, another known architecture's names, or another width or class count)
 * and what to do about it.
 */
final class KeyMismatch {
    /** Keys listed per category; the rest are counted. */
    static final int SHOWN = 10;

    private KeyMismatch() {}

    /**
     * At most {@value #SHOWN} items in brackets, then "… and N more".
     *
     * @param items the keys or descriptions
     * @return the capped list as text
     */
    static String capped(Collection<String> items) {
        List<String> all = new ArrayList<>(items);
        if (all.size() <= SHOWN) {
            return all.toString();
        }
        return all.subList(0, SHOWN) + " … and " + (all.size() - SHOWN) + " more";
    }

    /**
     * A sentence describing the mismatch between the model's and the checkpoint's keys, or null when no
     * pattern is recognised.
     *
     * @param own      the model's state dict
     * @param given    the checkpoint's state dict
     * @param mismatch the shared keys whose shapes differ
     * @return the description with advice, or null
     */
    static String pattern(Map<String, Tensor> own, Map<String, Tensor> given, List<String> mismatch) {
        Set<String> ownKeys = own.keySet();
        Set<String> givenKeys = given.keySet();
        if (given.isEmpty()) {
            return "The checkpoint holds no tensors.";
        }
        String extra = commonExtraPrefix(givenKeys, ownKeys);
        if (extra != null) {
            return "Every checkpoint key differs from the model's by the prefix '" + extra + "'"
                    + (extra.equals("module.") ? " (saved from DataParallel/DistributedDataParallel)" : "")
                    + ": load StateDicts.stripPrefix(state, \"" + extra + "\").";
        }
        String missingPrefix = commonExtraPrefix(ownKeys, givenKeys);
        if (missingPrefix != null) {
            return "Every model key is a checkpoint key with the prefix '" + missingPrefix
                    + "': load StateDicts.addPrefix(state, \"" + missingPrefix + "\").";
        }
        String arch = architecture(givenKeys);
        if (arch != null && !arch.equals(architecture(ownKeys))) {
            return "The checkpoint looks like " + arch + ".";
        }
        if (!mismatch.isEmpty() && ownKeys.equals(givenKeys)) {
            return "All keys match but " + mismatch.size() + " of " + ownKeys.size() + " shapes differ: the checkpoint"
                    + " is a model of another size (width, depth of channels or number of classes); build the model"
                    + " with the checkpoint's configuration.";
        }
        return null;
    }

    /** The prefix p with {@code p + k ∈ longer} for every k of {@code shorter} and every key of {@code longer}. */
    private static String commonExtraPrefix(Set<String> longer, Set<String> shorter) {
        if (longer.isEmpty() || shorter.isEmpty()) {
            return null;
        }
        String first = longer.iterator().next();
        for (int dot = first.indexOf('.'); dot >= 0; dot = first.indexOf('.', dot + 1)) {
            String prefix = first.substring(0, dot + 1);
            if (longer.size() == shorter.size() && longer.stream().allMatch(k -> k.startsWith(prefix)
                    && shorter.contains(k.substring(prefix.length())))) {
                return prefix;
            }
        }
        return null;
    }

    /** A known architecture recognised by its characteristic keys, with the class that loads it, or null. */
    static String architecture(Set<String> keys) {
        if (keys.contains("layer1.0.conv1.weight") && keys.contains("bn1.weight") && keys.contains("fc.weight")) {
            return "torchvision's ResNet18 (conv1/bn1/layer1..4/fc): use org.lfssd.models.TorchvisionResNet18"
                    + " (Stem.IMAGENET for a 7x7 conv1, Stem.CIFAR for a 3x3 conv1 without max-pool)";
        }
        if (keys.contains("conv2_x.0.residual_function.0.weight")) {
            return "the SSD code's CIFAR ResNet18 (pytorch-cifar100 names conv1/conv2_x..conv5_x/fc):"
                    + " use org.lfssd.models.ResNet18";
        }
        if (keys.contains("blocks.0.attn.qkv.weight") && keys.contains("cls_token")) {
            return "a timm Vision Transformer (blocks.N.attn.qkv): use org.lfssd.models.VisionTransformer";
        }
        if (keys.stream().anyMatch(k -> k.contains("encoder.layer.0.attention.attention.query.weight"))) {
            return "a Hugging Face ViTModel (encoder.layer.N.attention...): this library's VisionTransformer uses"
                    + " timm names; rename the keys with StateDicts.rename";
        }
        return null;
    }
}
