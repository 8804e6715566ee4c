package org.lfssd.autograd.ops;

import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;

/**
 * Reorderings of a convolution weight {@code w [O][C][taps]} (PyTorch's layout, taps row-major) into the
 * layouts {@link DirectConv}'s implicit products read, and of the weight gradient back.
 *
 * <p>Each is a transpose, and a naive loop over either side strides through the other by hundreds of
 * floats per element, one cache miss per value. {@link #tapMajor} and {@link #fromTapMajor} are the
 * provider's planes {@literal <->} pixels transposes (an output channel's weights are a "plane", an
 * (input channel, tap) pair a "pixel"); {@link #outputMajor} runs over a block of {@value #BLOCK}
 * consecutive indices of the axis that is contiguous on the written side, innermost, reading a few
 * cache lines that stay in L1 across the outer loops. Every value is a plain copy, so the order cannot
 * change a result. Blocks of {@value #BLOCK} output channels are the parallel tasks (a function of the
 * sizes only).
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
        // Output channel o's row of w, (c, t) in order, is one "plane"; (c, t) a "pixel" whose O values go to
        // (t·cs + c)·O: the provider's planes-to-pixels transpose, a block of output channels per task.
        int[] rows = tapMajorRows(channels, taps, cs, outChannels);
        KernelProvider ops = Kernels.provider();
        int row = channels * taps;
        Parallel.forEach((outChannels + BLOCK - 1) / BLOCK, blk -> {
            int o0 = blk * BLOCK;
            int o1 = Math.min(outChannels, o0 + BLOCK);
            ops.planesToPixels(w, wOff + o0 * row, row, o1 - o0, out, o0, rows, row);
        });
        return out;
    }

    /** Where (c, t) of a weight row starts in the tap-major layout: {@code (t·cs + c)·O}, indexed {@code c·taps + t}. */
    private static int[] tapMajorRows(int channels, int taps, int cs, int outChannels) {
        int[] rows = new int[channels * taps];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < taps; t++) {
                rows[c * taps + t] = (t * cs + c) * outChannels;
            }
        }
        return rows;
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

    /** {@code w[(o·C + c)·taps + t] = tapMajor[(t·cs + c)·O + o]}: the inverse of {@link #tapMajor}. */
    static void fromTapMajor(float[] tapMajor, int outChannels, int channels, int taps, int cs, float[] w) {
        int[] rows = tapMajorRows(channels, taps, cs, outChannels);
        KernelProvider ops = Kernels.provider();
        int row = channels * taps;
        Parallel.forEach((outChannels + BLOCK - 1) / BLOCK, blk -> {
            int o0 = blk * BLOCK;
            int o1 = Math.min(outChannels, o0 + BLOCK);
            ops.pixelsToPlanes(tapMajor, o0, rows, row, o1 - o0, null, 0, w, o0 * row, row);
        });
    }
}
