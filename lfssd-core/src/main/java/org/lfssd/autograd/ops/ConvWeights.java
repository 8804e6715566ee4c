package org.lfssd.autograd.ops;

import org.lfssd.kernels.Parallel;

/**
 * Reorderings of a convolution weight {@code w [O][C][taps]} (PyTorch's layout, taps row-major) into the
 * layouts {@link DirectConv}'s implicit products read, and of the weight gradient back.
 *
 * <p>Each is a transpose, and a naive loop over either side strides through the other by hundreds of
 * floats per element, one cache miss per value. So each loop runs over a block of {@value #BLOCK}
 * consecutive indices of the axis that is contiguous on the written side, innermost, reading a few
 * cache lines that stay in L1 across the outer loops: every value is a plain copy, so the order cannot
 * change a result. Blocks are the parallel tasks (a function of the sizes only).
 */
final class ConvWeights {
    private ConvWeights() {}

    /** Indices per block of the written side's contiguous axis: one 64-byte cache line of floats. */
    static final int BLOCK = 16;

    /**
     * {@code out[(t·cs + c)·O + o] = w[(o·C + c)·taps + t]}: the forward's tap-major {@code [taps][cs][O]}
     * (channel rows {@code c >= C} of each tap are left as they are, zero in a new array).
     */
    static float[] tapMajor(float[] w, int wOff, int outChannels, int channels, int taps, int cs) {
        float[] out = new float[taps * cs * outChannels];
        Parallel.forEach((outChannels + BLOCK - 1) / BLOCK, blk -> {
            int o0 = blk * BLOCK;
            int o1 = Math.min(outChannels, o0 + BLOCK);
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    int dst = (t * cs + c) * outChannels;
                    int src = wOff + c * taps + t;
                    for (int o = o0; o < o1; o++) {
                        out[dst + o] = w[src + o * channels * taps];
                    }
                }
            }
        });
        return out;
    }

    /**
     * {@code out[(t·O + o)·C + c] = w[(o·C + c)·taps + tapIndex[t]]}: the selected taps, output channels
     * before input channels, the layout of the input-gradient product.
     */
    static float[] outputMajor(float[] w, int wOff, int outChannels, int channels, int taps, int[] tapIndex) {
        int selected = tapIndex.length;
        float[] out = new float[selected * outChannels * channels];
        int cBlocks = (channels + BLOCK - 1) / BLOCK;
        Parallel.forEach(outChannels * cBlocks, task -> {
            int o = task / cBlocks;
            int c0 = (task % cBlocks) * BLOCK;
            int c1 = Math.min(channels, c0 + BLOCK);
            for (int t = 0; t < selected; t++) {
                int dst = (t * outChannels + o) * channels;
                int src = wOff + o * channels * taps + tapIndex[t];
                for (int c = c0; c < c1; c++) {
                    out[dst + c] = w[src + c * taps];
                }
            }
        });
        return out;
    }

    /**
     * {@code w[(o·C + c)·taps + t] = tapMajor[(t·cs + c)·O + o]}: the inverse of {@link #tapMajor}, run on every
     * weight gradient of every batch (once per shard).
     *
     * <p>Blocked {@value #BLOCK} x {@value #BLOCK} in output and input channels, all taps of a block at once: the
     * block's rows of {@code w} ({@value #BLOCK} runs of {@code BLOCK·taps} consecutive floats) are filled while
     * they sit in L1, and each source line is read once, whole. Looping over every input channel for each
     * block of output channels instead kept {@value #BLOCK} lines of {@code w} open at a stride of
     * {@code C·taps} floats, which at 256 and 512 channels map to a few L1 sets; on 512 x 512 x 9 this order
     * took 4.2-4.7 ns per float against 5.7-6.0 (one JVM, alternated, Sapphire Rapids; memory copies run at
     * 0.6 ns per float there).
     */
    static void fromTapMajor(float[] tapMajor, int outChannels, int channels, int taps, int cs, float[] w) {
        int row = channels * taps;
        Parallel.forEach((outChannels + BLOCK - 1) / BLOCK, blk -> {
            int o0 = blk * BLOCK;
            int o1 = Math.min(outChannels, o0 + BLOCK);
            for (int c0 = 0; c0 < channels; c0 += BLOCK) {
                int c1 = Math.min(channels, c0 + BLOCK);
                for (int t = 0; t < taps; t++) {
                    for (int c = c0; c < c1; c++) {
                        int src = (t * cs + c) * outChannels;
                        int dst = c * taps + t;
                        for (int o = o0; o < o1; o++) {
                            w[dst + o * row] = tapMajor[src + o];
                        }
                    }
                }
            }
        });
    }
}
