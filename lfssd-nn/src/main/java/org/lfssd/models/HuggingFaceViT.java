package org.lfssd.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.StateDicts;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Loads Hugging Face {@code transformers} ViT checkpoints ({@code ViTModel} or
 * {@code ViTForImageClassification}, e.g. {@code google/vit-base-patch16-224}) into a {@link VisionTransformer},
 * whose keys are timm's. The mapping, for block {@code N}:
 * <pre>
 *   [vit.]embeddings.cls_token                                  → cls_token
 *   [vit.]embeddings.position_embeddings                        → pos_embed
 *   [vit.]embeddings.patch_embeddings.projection.{weight,bias}  → patch_embed.proj.{weight,bias}
 *   [vit.]encoder.layer.N.layernorm_before                      → blocks.N.norm1
 *   [vit.]encoder.layer.N.attention.attention.{query,key,value} → blocks.N.attn.qkv  (rows: q, then k, then v)
 *   [vit.]encoder.layer.N.attention.output.dense                → blocks.N.attn.proj
 *   [vit.]encoder.layer.N.layernorm_after                       → blocks.N.norm2
 *   [vit.]encoder.layer.N.intermediate.dense                    → blocks.N.mlp.fc1
 *   [vit.]encoder.layer.N.output.dense                          → blocks.N.mlp.fc2
 *   [vit.]layernorm                                             → norm
 *   classifier.{weight,bias}                                    → head.{weight,bias}   (only when kept)
 *   [vit.]pooler.dense.{weight,bias}                            → (dropped: the papers' head reads the CLS token)
 * </pre>
 * The {@code vit.} prefix is present in {@code ViTForImageClassification} files and absent in {@code ViTModel}
 * ones; one file must use one convention. Checking is as strict as {@link StateDicts#load}: every key of the
 * file must be mapped or be one of the dropped ones, every key of the model must be supplied, shapes must
 * match; the error names every offending key. Use a model with {@link ViTConfig#HF_LAYER_NORM_EPS}
 * (e.g. {@link ViTConfig#basePatch16x224}) to reproduce Hugging Face's outputs.
 */
public final class HuggingFaceViT {
    private HuggingFaceViT() {}

    /** Whether to take the checkpoint's classifier or keep the model's own (new, freshly initialised) head. */
    public enum Head {
        /** Load {@code classifier.*} into {@code head.*}; the checkpoint must have one of the model's size. */
        FROM_CHECKPOINT,
        /** Keep the model's head as initialised and ignore any {@code classifier.*} in the file (the papers' setup). */
        NEW
    }

    /**
     * Reads {@code checkpoint} (a {@code .safetensors} file or a sharded checkpoint's {@code *.index.json}), maps
     * it to timm names and loads it into {@code model} in place.
     *
     * @param model      the model to overwrite; its depth and sizes must match the checkpoint
     * @param checkpoint the {@code .safetensors} file or {@code *.index.json} of a sharded checkpoint
     * @param head       whether to load the checkpoint's classifier or keep the model's head
     * @throws IOException if the checkpoint cannot be read or parsed
     * @throws IllegalArgumentException naming the checkpoint and every key that is unknown, missing, or of the wrong shape
     */
    public static void load(VisionTransformer model, Path checkpoint, Head head) throws IOException {
        Map<String, Tensor> hf = Checkpoints.read(checkpoint);
        Map<String, Tensor> state;
        try {
            state = toTimm(hf, model.config().depth(), head);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
        }
        if (head == Head.NEW) {
            state.put("head.weight", model.head().weight().value());
            state.put("head.bias", model.head().bias().value());
        }
        try {
            StateDicts.load(model, state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + " (Hugging Face ViT, mapped to timm names): " + e.getMessage(), e);
        }
    }

    /**
     * The timm-named state dict of a Hugging Face ViT state dict with {@code depth} blocks. With {@link Head#NEW}
     * the result has no {@code head.*} keys.
     *
     * @param hf    the Hugging Face state dict, keyed by its names
     * @param depth the number of transformer blocks
     * @param head  whether to map {@code classifier.*} to {@code head.*} or leave the head out
     * @return a new map keyed by timm names, with the query, key and value weights packed into {@code qkv}
     * @throws IllegalArgumentException naming every key that is unknown, missing, or of an inconsistent shape
     */
    public static Map<String, Tensor> toTimm(Map<String, Tensor> hf, int depth, Head head) {
        String p = hf.containsKey("vit.embeddings.cls_token") ? "vit." : "";
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        copy(hf, p + "embeddings.cls_token", out, "cls_token", used, missing);
        copy(hf, p + "embeddings.position_embeddings", out, "pos_embed", used, missing);
        for (String s : new String[] {"weight", "bias"}) {
            copy(hf, p + "embeddings.patch_embeddings.projection." + s, out, "patch_embed.proj." + s, used, missing);
        }
        for (int n = 0; n < depth; n++) {
            String l = p + "encoder.layer." + n + ".";
            String b = "blocks." + n + ".";
            for (String s : new String[] {"weight", "bias"}) {
                copy(hf, l + "layernorm_before." + s, out, b + "norm1." + s, used, missing);
                List<Tensor> qkv = new ArrayList<>();
                for (String part : new String[] {"query", "key", "value"}) {
                    String key = l + "attention.attention." + part + "." + s;
                    Tensor t = hf.get(key);
                    if (t == null) {
                        missing.add(key);
                    } else {
                        used.add(key);
                        qkv.add(t);
                    }
                }
                if (qkv.size() == 3) {
                    Tensor fused = concatRows(qkv, l + "attention.attention.{query,key,value}." + s, problems);
                    if (fused != null) {
                        out.put(b + "attn.qkv." + s, fused);
                    }
                }
                copy(hf, l + "attention.output.dense." + s, out, b + "attn.proj." + s, used, missing);
                copy(hf, l + "layernorm_after." + s, out, b + "norm2." + s, used, missing);
                copy(hf, l + "intermediate.dense." + s, out, b + "mlp.fc1." + s, used, missing);
                copy(hf, l + "output.dense." + s, out, b + "mlp.fc2." + s, used, missing);
            }
        }
        for (String s : new String[] {"weight", "bias"}) {
            copy(hf, p + "layernorm." + s, out, "norm." + s, used, missing);
            used.add(p + "pooler.dense." + s); // unused by the papers' head; dropped whether present or not
            if (head == Head.FROM_CHECKPOINT) {
                copy(hf, "classifier." + s, out, "head." + s, used, missing);
            } else {
                used.add("classifier." + s);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : hf.keySet()) {
            if (!used.contains(k)) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !problems.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(missing.size() + " missing key(s) " + missing);
            }
            if (!unexpected.isEmpty()) {
                parts.add(unexpected.size() + " unexpected key(s) " + unexpected + " (a depth other than " + depth
                        + ", or not a Hugging Face ViT?)");
            }
            parts.addAll(problems);
            throw new IllegalArgumentException("Hugging Face ViT checkpoint" + (p.isEmpty() ? " (ViTModel names)" : "")
                    + ": " + String.join("; ", parts));
        }
        return out;
    }

    private static void copy(Map<String, Tensor> hf, String from, Map<String, Tensor> out, String to, Set<String> used,
                             List<String> missing) {
        Tensor t = hf.get(from);
        if (t == null) {
            missing.add(from);
            return;
        }
        used.add(from);
        out.put(to, t);
    }

    /** q, k, v stacked along the first dimension ({@code [D, ...]} each → {@code [3D, ...]}), or null after recording a problem. */
    private static Tensor concatRows(List<Tensor> parts, String what, List<String> problems) {
        int[] s0 = parts.get(0).shape();
        for (Tensor t : parts) {
            if (!java.util.Arrays.equals(t.shape(), s0)) {
                problems.add(what + " have different shapes " + Shapes.str(parts.get(0).shape()) + ", "
                        + Shapes.str(parts.get(1).shape()) + ", " + Shapes.str(parts.get(2).shape()));
                return null;
            }
        }
        int[] shape = s0.clone();
        shape[0] = 3 * s0[0];
        float[] data = new float[3 * parts.get(0).numel()];
        int o = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), t.offset(), data, o, t.numel());
            o += t.numel();
        }
        return Tensor.wrap(data, 0, shape);
    }
}
