package org.lfssd.data;

import java.util.function.UnaryOperator;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Resizes {@code [N, C, H, W]} images to {@code size × size} by bilinear interpolation with PyTorch's
 * {@code F.interpolate(mode="bilinear", align_corners=False)} rule, which is what torchvision's
 * {@code Resize(size)} does on a tensor. The official code resizes <em>after</em> normalising (ALGORITHM.md
 * §8.2), so apply this to normalised images; at 32 → 32 it is the identity, 32 → 224 is the papers' ViT input.
 *
 * <p>Source coordinate of output pixel {@code d}: {@code max(0, (d + 0.5)·in/out − 0.5)}; its floor and the
 * next pixel (clamped to the edge) are blended with weights {@code 1 − frac} and {@code frac}, rows then
 * columns. Upsampling (the only use in the papers) matches torchvision exactly; when shrinking, this is
 * bilinear <em>without</em> antialiasing (torchvision's tensor behaviour before 0.17 or with
 * {@code antialias=False}).
 *
 * <p>Resizing a whole CIFAR training set to 224 would need 30 GB, so use it per batch
 * ({@link TransformedBatches}).
 */
public final class BilinearResize implements UnaryOperator<Tensor> {
    private final int size;

    /**
     * A resize to {@code size × size} pixels.
     *
     * @param size the output height and width in pixels
     */
    public BilinearResize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("BilinearResize: size must be >= 1, got " + size);
        }
        this.size = size;
    }

    /**
     * The output side.
     *
     * @return the output height and width in pixels
     */
    public int size() {
        return size;
    }

    /** A resized copy of {@code images}; {@code images} itself when it already has the target size. */
    @Override
    public Tensor apply(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("BilinearResize: expected [N, C, H, W], got " + Shapes.str(s));
        }
        int inH = s[2];
        int inW = s[3];
        if (inH == size && inW == size) {
            return images;
        }
        int[] h0 = new int[size];
        int[] h1 = new int[size];
        float[] hl = new float[size];
        axis(inH, h0, h1, hl);
        int[] w0 = new int[size];
        int[] w1 = new int[size];
        float[] wl = new float[size];
        axis(inW, w0, w1, wl);
        int planes = s[0] * s[1];
        float[] in = images.data();
        int inOff = images.offset();
        float[] out = new float[planes * size * size];
        for (int p = 0; p < planes; p++) {
            int src = inOff + p * inH * inW;
            int dst = p * size * size;
            for (int y = 0; y < size; y++) {
                float ly1 = hl[y];
                float ly0 = 1f - ly1;
                int r0 = src + h0[y] * inW;
                int r1 = src + h1[y] * inW;
                for (int x = 0; x < size; x++) {
                    float lx1 = wl[x];
                    float lx0 = 1f - lx1;
                    out[dst + y * size + x] = ly0 * (lx0 * in[r0 + w0[x]] + lx1 * in[r0 + w1[x]])
                            + ly1 * (lx0 * in[r1 + w0[x]] + lx1 * in[r1 + w1[x]]);
                }
            }
        }
        return Tensor.wrap(out, 0, s[0], s[1], size, size);
    }

    /** Per output index along one axis: the two source indices and the weight of the second. */
    private void axis(int in, int[] i0, int[] i1, float[] lambda1) {
        float scale = (float) in / size;
        for (int d = 0; d < size; d++) {
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0) {
                src = 0;
            }
            int lo = (int) src;
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            lambda1[d] = src - lo;
        }
    }

    @Override
    public String toString() {
        return "BilinearResize(" + size + ")";
    }
}
