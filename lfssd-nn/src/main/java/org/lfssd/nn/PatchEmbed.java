package org.lfssd.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/**
 * Cuts an image into non-overlapping {@code patch×patch} patches and embeds each linearly, as timm's
 * {@code proj} convolution with kernel = stride = patch followed by {@code flatten(2).transpose(1, 2)}
 * (computed as the equivalent Linear over flattened patches, see {@link #forward}):
 * {@code [B, C, H, W] -> [B, (H/p)·(W/p), dim]}.
 */
public final class PatchEmbed extends Module {
    private final int imgSize;
    private final int patchSize;
    private final int numPatches;
    private final Conv2d proj;

    /**
     * A patch embedding for square images.
     *
     * @param imgSize   image side, a multiple of {@code patchSize}
     * @param patchSize patch side
     * @param inChans   image channels
     * @param embedDim  embedding width
     * @param rng       source of the initial weights
     */
    public PatchEmbed(int imgSize, int patchSize, int inChans, int embedDim, RandomGenerator rng) {
        if (patchSize <= 0 || imgSize <= 0 || imgSize % patchSize != 0) {
            throw new IllegalArgumentException("PatchEmbed: img size " + imgSize + " must be a positive multiple of patch size " + patchSize);
        }
        this.imgSize = imgSize;
        this.patchSize = patchSize;
        int grid = imgSize / patchSize;
        this.numPatches = grid * grid;
        this.proj = registerModule("proj", new Conv2d(inChans, embedDim, patchSize, patchSize, 0, true, rng));
    }

    @Override
    public Var forward(Var x) {
        if (x.dim() != 4 || x.size(1) != proj.inChannels() || x.size(2) != imgSize || x.size(3) != imgSize) {
            throw located(new IllegalArgumentException("PatchEmbed: expected [B, " + proj.inChannels() + ", " + imgSize + ", "
                    + imgSize + "], got " + Arrays.toString(x.shape())), null);
        }
        // A convolution whose kernel equals its stride sees every pixel once: it is one Linear over the
        // flattened patches. Cutting the image into [B, P, C·p·p] rows (one permute of the input) and
        // multiplying by the weight viewed as [dim, C·p·p] gives the tokens directly as [B, P, dim], with
        // no column matrix, no channel-major output to transpose, and the bias in the Linear. The weight
        // keeps its convolution shape, so the state dict is unchanged.
        int b = x.size(0);
        int c = x.size(1);
        int g = imgSize / patchSize;
        int p = patchSize;
        Var patches = F.reshape(F.permute(F.reshape(x, b, c, g, p, g, p), 0, 2, 4, 1, 3, 5), b, numPatches, c * p * p);
        Var weight = F.reshape(proj.weight(), proj.outChannels(), c * p * p);
        return F.linear(patches, weight, proj.bias());
    }

    /** {@return the number of patches per image} */
    public int numPatches() {
        return numPatches;
    }

    /** {@return the patch side} */
    public int patchSize() {
        return patchSize;
    }

    /** {@return the image side} */
    public int imgSize() {
        return imgSize;
    }

    /** {@return the patch projection, a strided convolution} */
    public Conv2d proj() {
        return proj;
    }
}
