package org.lfssd.kernels;

/**
 * A 3x3 filter made ready for {@link WinogradConvolution#convolve(KernelProvider, float[], ChannelsLast.Layout,
 * WinogradFilter, float[])}: transformed to the sixteen matrices {@code U[ξ] = G g Gᵀ}, cut into column
 * chunks and packed into one provider's panels.
 *
 * <p>All of it depends on the filter's values and sizes only, not on the images, so a caller whose
 * weights stay fixed over many batches (an importance pass) can prepare it once and convolve with it
 * batch after batch. It is immutable: it holds its own packed copies, and nothing writes into them after
 * {@link #prepare} returns, so one instance may serve any number of threads at once.
 */
public final class WinogradFilter {
    /** The implicit GEMM whose panels these are; another provider's GEMM cannot read them. */
    final ImplicitGemm gemm;
    /** Channels read per input pixel. */
    final int k;
    /** Output channels. */
    final int n;
    /** Output channels per chunk ({@link WinogradConvolution#chunkColumns}); the last chunk may be narrower. */
    final int chunkWidth;
    /** Chunk {@code j}'s sixteen transformed matrices, {@code [16·k][width]}, packed. */
    final ImplicitGemm.Packed[] chunks;

    private WinogradFilter(ImplicitGemm gemm, int k, int n, int chunkWidth, ImplicitGemm.Packed[] chunks) {
        this.gemm = gemm;
        this.k = k;
        this.n = n;
        this.chunkWidth = chunkWidth;
        this.chunks = chunks;
    }

    /**
     * Transforms, chunks and packs a tap-major filter for {@code kernels}.
     *
     * @param kernels the provider whose transforms and implicit GEMM will run the convolution
     * @param taps    the filter, tap-major {@code [9][k][n]} from offset 0; only read
     * @param k       the channels read per input pixel, {@code >= 0}
     * @param n       the output channels, {@code >= 0}
     * @return the prepared filter
     * @throws IllegalArgumentException if a size is negative or {@code taps} is shorter than {@code 9·k·n}
     */
    public static WinogradFilter prepare(KernelProvider kernels, float[] taps, int k, int n) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("winograd: negative filter size k=" + k + ", n=" + n);
        }
        if ((long) 9 * k * n > taps.length) {
            throw new IllegalArgumentException("winograd: the filter has " + taps.length + " floats, needs 9*k*n = "
                    + (long) 9 * k * n);
        }
        ImplicitGemm gemm = kernels.implicitGemm();
        float[] filter = new float[Winograd.POSITIONS * k * n];
        kernels.winogradTransforms().filter(taps, k, n, filter);
        int chunkWidth = WinogradConvolution.chunkColumns(k, n);
        int count = (n + chunkWidth - 1) / chunkWidth;
        ImplicitGemm.Packed[] chunks = new ImplicitGemm.Packed[count];
        // One reused buffer for the chunks' columns: pack copies what it is given.
        float[] columns = count == 1 ? filter : new float[Winograd.POSITIONS * k * chunkWidth];
        for (int j = 0; j < count; j++) {
            int j0 = j * chunkWidth;
            int width = Math.min(chunkWidth, n - j0);
            if (count > 1) {
                for (int row = 0; row < Winograd.POSITIONS * k; row++) {
                    System.arraycopy(filter, row * n + j0, columns, row * width, width);
                }
            }
            chunks[j] = gemm.pack(columns, Winograd.POSITIONS * k, width);
        }
        return new WinogradFilter(gemm, k, n, chunkWidth, chunks);
    }

    /**
     * Channels read per input pixel.
     *
     * @return {@code k}
     */
    public int inChannels() {
        return k;
    }

    /**
     * Output channels.
     *
     * @return {@code n}
     */
    public int outChannels() {
        return n;
    }
}
