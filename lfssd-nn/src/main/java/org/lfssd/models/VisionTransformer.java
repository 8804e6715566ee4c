package org.lfssd.models;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.TransformerBlock;
import org.lfssd.nn.Init;
import org.lfssd.nn.LayerNorm;
import org.lfssd.nn.Linear;
import org.lfssd.nn.Module;
import org.lfssd.nn.PatchEmbed;
import org.lfssd.nn.Sequential;

/**
 * A Vision Transformer with timm's state-dict keys ({@code cls_token}, {@code pos_embed},
 * {@code patch_embed.proj}, {@code blocks.N.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}},
 * {@code norm}, {@code head}): patch embedding, a prepended class token, learned position embeddings,
 * pre-norm blocks, a final LayerNorm and a linear head on the class token.
 *
 * <p>Initialised as our PyTorch reference model: position embeddings and Linear weights truncated normal
 * with std 0.02, Linear biases zero, class token normal with std 1e-6, LayerNorms ones/zeros, and the patch
 * convolution with PyTorch's default.
 */
public final class VisionTransformer extends Module {
    private final ViTConfig config;
    private final Var clsToken;
    private final Var posEmbed;
    private final PatchEmbed patchEmbed;
    private final Sequential blocks;
    private final LayerNorm norm;
    private final Linear head;

    /**
     * A ViT built from {@code config}, initialised as timm does.
     *
     * @param config the sizes
     * @param rng    source of the initial weights
     */
    public VisionTransformer(ViTConfig config, RandomGenerator rng) {
        this.config = config;
        int d = config.embedDim();
        // Own parameters come first in the state dict, as in PyTorch.
        this.clsToken = registerParameter("cls_token", Init.normal(rng, 1e-6, 1, 1, d));
        this.posEmbed = registerParameter("pos_embed", Init.truncNormal(rng, 0.02, 1, config.numPatches() + 1, d));
        this.patchEmbed = registerModule("patch_embed",
                new PatchEmbed(config.imgSize(), config.patchSize(), config.inChans(), d, rng));
        this.blocks = registerModule("blocks", new Sequential());
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(new TransformerBlock(d, config.numHeads(), config.mlpHidden(), config.layerNormEps(), rng));
        }
        this.norm = registerModule("norm", new LayerNorm(d, config.layerNormEps()));
        this.head = registerModule("head", new Linear(d, config.numClasses(), true, rng));
        for (Module m : namedModules().values()) {
            if (m instanceof Linear lin) {
                lin.weight().value().copyFrom(Init.truncNormal(rng, 0.02, lin.weight().shape()));
                if (lin.bias() != null) {
                    lin.bias().value().fill(0f);
                }
            }
        }
    }

    /**
     * ViT-Tiny with timm's 224/16 preset.
     *
     * @param numClasses size of the logit vector
     * @param rng        source of the initial weights
     * @return the model
     */
    public static VisionTransformer tinyPatch16x224(int numClasses, RandomGenerator rng) {
        return new VisionTransformer(ViTConfig.tinyPatch16x224(numClasses), rng);
    }

    /**
     * ViT-Tiny with the CIFAR-size 32/4 preset.
     *
     * @param numClasses size of the logit vector
     * @param rng        source of the initial weights
     * @return the model
     */
    public static VisionTransformer tinyPatch4x32(int numClasses, RandomGenerator rng) {
        return new VisionTransformer(ViTConfig.tinyPatch4x32(numClasses), rng);
    }

    @Override
    public Var forward(Var x) {
        Var tokens = patchEmbed.forward(x);                                   // [B, P, D]
        int b = tokens.size(0);
        Var cls = F.expand(clsToken, b, 1, config.embedDim());
        Var h = F.add(F.concat(1, cls, tokens), posEmbed);                   // [B, P+1, D]
        h = blocks.forward(h);
        // LayerNorm is per token, so normalising only the class token equals timm's norm-then-select
        // and skips normalising (and saving for backward) the P patch tokens.
        Var clsOut = norm.forward(F.select(h, 1, 0));                         // [B, D]
        return head.forward(clsOut);
    }

    /** {@return the configuration} */
    public ViTConfig config() {
        return config;
    }

    /** {@return the class token {@code [1, 1, dim]}} */
    public Var clsToken() {
        return clsToken;
    }

    /** {@return the position embedding {@code [1, tokens, dim]}} */
    public Var posEmbed() {
        return posEmbed;
    }

    /** {@return the classifier head} */
    public Linear head() {
        return head;
    }

    /**
     * The papers' ViT-B/16 at 224 ({@link ViTConfig#basePatch16x224}); about 86 M parameters.
     *
     * @param numClasses size of the logit vector
     * @param rng        source of the initial weights
     * @return the model, randomly initialised; load pretrained weights with {@link HuggingFaceViT#load}
     */
    public static VisionTransformer basePatch16x224(int numClasses, RandomGenerator rng) {
        return new VisionTransformer(ViTConfig.basePatch16x224(numClasses), rng);
    }
}
