package org.lfssd.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/**
 * Cuts an image into non-overlapping {@code patch×patch} patches and embeds each linearly: a {@code proj}
 * convolution with kernel = stride = patch, then {@code flatten(2).transpose(1, 2)}:
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
        if (x.dim() != 4 || x.size(2) != imgSize || x.size(3) != imgSize) {
            throw located(new IllegalArgumentException("PatchEmbed: expected [B, C, " + imgSize + ", " + imgSize
                    + "], got " + Arrays.toString(x.shape())), null);
        }
        return F.transpose(F.flatten(proj.forward(x), 2), 1, 2);
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
