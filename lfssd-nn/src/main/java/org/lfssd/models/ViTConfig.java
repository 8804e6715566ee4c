package org.lfssd.models;

/**
 * The shape of a {@link VisionTransformer}.
 *
 * @param imgSize    square input side in pixels
 * @param patchSize  square patch side; must divide {@code imgSize}
 * @param inChans    image channels
 * @param numClasses logits of the head
 * @param embedDim   token width
 * @param depth      number of transformer blocks
 * @param numHeads   attention heads; must divide {@code embedDim}
 * @param mlpHidden  hidden width of each block's MLP
 * @param layerNormEps epsilon of every LayerNorm (timm: {@link #LAYER_NORM_EPS}; Hugging Face's ViT:
 *                   {@link #HF_LAYER_NORM_EPS})
 */
public record ViTConfig(int imgSize, int patchSize, int inChans, int numClasses, int embedDim, int depth,
                        int numHeads, int mlpHidden, float layerNormEps) {
    /** LayerNorm epsilon of timm's ViT. */
    public static final float LAYER_NORM_EPS = 1e-6f;

    /**
     * Checks that the sizes are positive, the image is a whole number of patches and the width splits into heads.
     *
     * @param imgSize    square input side in pixels
     * @param patchSize  square patch side; must divide {@code imgSize}
     * @param inChans    image channels
     * @param numClasses logits of the head
     * @param embedDim   token width
     * @param depth      number of transformer blocks
     * @param numHeads   attention heads; must divide {@code embedDim}
     * @param mlpHidden  hidden width of each block's MLP
     * @param layerNormEps epsilon of every LayerNorm
     */
    public ViTConfig {
        if (imgSize <= 0 || patchSize <= 0 || imgSize % patchSize != 0 || inChans <= 0 || numClasses <= 0
                || embedDim <= 0 || depth <= 0 || numHeads <= 0 || embedDim % numHeads != 0 || mlpHidden <= 0) {
            throw new IllegalArgumentException("ViTConfig: invalid " + "img=" + imgSize + " patch=" + patchSize
                    + " inChans=" + inChans + " classes=" + numClasses + " dim=" + embedDim + " depth=" + depth
                    + " heads=" + numHeads + " mlp=" + mlpHidden);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("ViTConfig: LayerNorm epsilon must be > 0, got " + layerNormEps);
        }
    }

    /**
     * ViT-Tiny (dim 192, depth 12, 3 heads, MLP 768) at any image and patch size.
     *
     * @param imgSize    image side
     * @param patchSize  patch side
     * @param numClasses size of the logit vector
     * @return the configuration
     */
    public static ViTConfig tiny(int imgSize, int patchSize, int numClasses) {
        return new ViTConfig(imgSize, patchSize, 3, numClasses, 192, 12, 3, 768);
    }

    /**
     * timm's {@code vit_tiny_patch16_224}: 224×224 input, 16×16 patches, 197 tokens.
     *
     * @param numClasses size of the logit vector
     * @return the configuration
     */
    public static ViTConfig tinyPatch16x224(int numClasses) {
        return tiny(224, 16, numClasses);
    }

    /**
     * The CIFAR-size preset {@code vit_tiny_patch4_32}: 32×32 input, 4×4 patches, 65 tokens.
     *
     * @param numClasses size of the logit vector
     * @return the configuration
     */
    public static ViTConfig tinyPatch4x32(int numClasses) {
        return tiny(32, 4, numClasses);
    }

    /**
     * This configuration with a different width, depth and head count (MLP stays 4× the width); for small test models.
     *
     * @param embedDim token width
     * @param depth    number of blocks
     * @param numHeads attention heads
     * @return a new configuration
     */
    public ViTConfig withSize(int embedDim, int depth, int numHeads) {
        return new ViTConfig(imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, 4 * embedDim, layerNormEps);
    }

    /**
     * Patches per image, i.e. tokens without the class token.
     *
     * @return the patch count
     */
    public int numPatches() {
        int g = imgSize / patchSize;
        return g * g;
    }

    /** LayerNorm epsilon of Hugging Face {@code transformers}' ViT ({@code layer_norm_eps = 1e-12}). */
    public static final float HF_LAYER_NORM_EPS = 1e-12f;

    /**
     * A configuration with timm's LayerNorm epsilon.
     *
     * @param imgSize    square input side in pixels
     * @param patchSize  square patch side; must divide {@code imgSize}
     * @param inChans    image channels
     * @param numClasses logits of the head
     * @param embedDim   token width
     * @param depth      number of transformer blocks
     * @param numHeads   attention heads; must divide {@code embedDim}
     * @param mlpHidden  hidden width of each block's MLP
     */
    public ViTConfig(int imgSize, int patchSize, int inChans, int numClasses, int embedDim, int depth, int numHeads,
                     int mlpHidden) {
        this(imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpHidden, LAYER_NORM_EPS);
    }

    /**
     * ViT-B/16 at 224×224 as the papers use it ({@code google/vit-base-patch16-224} from Hugging Face with a new
     * head; ALGORITHM.md §8.1): width 768, depth 12, 12 heads, MLP 3,072, 196 patches, and Hugging Face's
     * LayerNorm epsilon 1e-12. Load the pretrained weights with {@link HuggingFaceViT#load}.
     *
     * @param numClasses logits of the (new) head
     * @return the configuration
     */
    public static ViTConfig basePatch16x224(int numClasses) {
        return new ViTConfig(224, 16, 3, numClasses, 768, 12, 12, 3072, HF_LAYER_NORM_EPS);
    }
}
