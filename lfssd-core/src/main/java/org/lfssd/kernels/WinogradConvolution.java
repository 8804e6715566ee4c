package org.lfssd.kernels;

/**
 * A "same" stride-1 3x3 convolution on channels-last data by Winograd F(2x2, 3x3) ({@link Winograd}),
 * fused tile group by tile group: each task transforms a group of input tiles, multiplies them by the
 * sixteen transformed filter matrices and transforms the products back, so the transformed tiles
 * (four times the size of the image they come from) live only in a per-thread buffer that stays in
 * L2, instead of being written out for the whole batch and read back (which made the unfused form
 * slower than the direct convolution it was meant to beat).
 *
 * <pre>
 *   V[ξ][t][c] = (Bᵀ d_t B)[ξ]                     input tiles d_t, 4x4 pixels of k channels
 *   U[ξ][c][o] = (G g Gᵀ)[ξ]                       filter g, transformed and packed once ({@link WinogradFilter})
 *   M[ξ][t][o] = Σ_c V[ξ][t][c] · U[ξ][c][o]       sixteen products, channels ascending
 *   y_t        = Aᵀ M[·][t] A                      2x2 output pixels per tile
 * </pre>
 *
 * <p>Each output pixel belongs to one tile and each tile to one task; the products sum in the order
 * {@link ImplicitGemm} fixes. The groups depend only on the sizes, so results are bit-identical for any
 * thread count, and for either kernel provider (the provider's {@link WinogradTransforms} and
 * {@link ImplicitGemm} implementations agree bit for bit).
 */
public final class WinogradConvolution {
    private WinogradConvolution() {}

    /**
     * Floats of transformed input and products one task keeps (1 MiB): small enough to stay in a core's
     * L2 next to the transformed filter panels, large enough that each panel row loaded feeds many tiles.
     */
    private static final int TASK_FLOATS = 1 << 18;

    /** Floats of transformed filter a task works against (1 MiB), half a core's L2. */
    private static final int FILTER_FLOATS = 1 << 18;

    /** Column chunks are whole multiples of this, the width of the SIMD gather's wide tile. */
    private static final int CHUNK_ALIGN = 64;

    /** Tiles per task are a multiple of this, the row count of the SIMD gather's wide tile. */
    private static final int TILE_ROWS = 5;

    /**
     * Whether the algorithm computes a convolution of this geometry: 3x3, stride 1, padding 1 ("same"),
     * and even height and width (whole 2x2 output tiles).
     *
     * @param height  the input height
     * @param width   the input width
     * @param kh      the kernel height
     * @param kw      the kernel width
     * @param stride  the stride
     * @param padding the zero padding on every side
     * @return whether {@link #convolve} applies
     */
    public static boolean applies(int height, int width, int kh, int kw, int stride, int padding) {
        return kh == 3 && kw == 3 && stride == 1 && padding == 1 && height % 2 == 0 && width % 2 == 0;
    }

    /**
     * Output channels per task: all of them where the sixteen filter matrices fit in
     * {@value #FILTER_FLOATS} floats, else the fewest whole wide column blocks that do (at least one), so a
     * task's filter panels stay in L2 while its tiles stream past. A function of the sizes only.
     *
     * @param inChannels  channels read per pixel
     * @param outChannels channels written per pixel
     * @return the column chunk width
     */
    static int chunkColumns(int inChannels, int outChannels) {
        long perColumn = (long) Winograd.POSITIONS * Math.max(1, inChannels);
        if (perColumn * outChannels <= FILTER_FLOATS || outChannels % CHUNK_ALIGN != 0) {
            return Math.max(1, outChannels);
        }
        int blocks = (int) Math.max(1, FILTER_FLOATS / perColumn / CHUNK_ALIGN);
        while (outChannels % (blocks * CHUNK_ALIGN) != 0) {
            blocks--;
        }
        return blocks * CHUNK_ALIGN;
    }

    /**
     * Tiles per task: as many as keep a task's transformed tiles and products within
     * {@value #TASK_FLOATS} floats, a multiple of {@value #TILE_ROWS}. A function of the sizes only.
     *
     * @param inChannels  channels read per pixel
     * @param outChannels channels written per pixel
     * @return the tile count of a full task
     */
    static int tilesPerTask(int inChannels, int outChannels) {
        long perTile = (long) Winograd.POSITIONS * (inChannels + outChannels);
        long tiles = TASK_FLOATS / Math.max(1L, perTile) / TILE_ROWS * TILE_ROWS;
        return (int) Math.max(TILE_ROWS, tiles);
    }

    /**
     * {@code out[((img·H + y)·W + x)·n + o] = Σ_(i,j) Σ_c src(img, y + i - 1, x + j - 1, c) · taps[((i·3 + j)·k + c)·n + o]}
     * for every image, pixel and output channel: the input is read through its zero border, the output
     * written channels-last, {@code [N][H][W][n]}, overwritten.
     *
     * @param kernels the provider whose implicit GEMM and transforms run it
     * @param src   the input, padded channels-last in layout {@code in} (a border of at least one pixel)
     * @param in    the input's layout; {@code in.h()} and {@code in.w()} are the image (and output) size
     * @param k     the channels read per pixel, {@code <= in.cs()}
     * @param taps  the filter, tap-major {@code [9][k][n]}
     * @param n     the output channels
     * @param out   the output, at least {@code N·H·W·n} floats
     * @throws IllegalArgumentException if the image size is odd, the border is too thin, or an array is
     *         too short
     */
    public static void convolve(KernelProvider kernels, float[] src, ChannelsLast.Layout in, int k, float[] taps, int n,
                                float[] out) {
        checkInput(src, in, k);
        if ((long) 9 * k * n > taps.length) {
            throw new IllegalArgumentException("winograd: the filter has " + taps.length + " floats, needs 9*k*n = "
                    + (long) 9 * k * n);
        }
        checkOutput(in, n, out);
        if ((long) in.n() * (in.h() / 2) * (in.w() / 2) == 0 || n == 0) {
            return; // no tiles: nothing to write, and no filter worth transforming
        }
        convolve(kernels, src, in, WinogradFilter.prepare(kernels, taps, k, n), out);
    }

    /**
     * {@link #convolve(KernelProvider, float[], ChannelsLast.Layout, int, float[], int, float[])} with a filter
     * prepared beforehand ({@link WinogradFilter#prepare}), which the same values and sizes give the same
     * bits: a caller whose weights do not change from batch to batch transforms and packs them once.
     *
     * @param kernels the provider whose implicit GEMM and transforms run it; the one the filter was prepared for
     * @param src     the input, padded channels-last in layout {@code in} (a border of at least one pixel)
     * @param in      the input's layout; {@code in.h()} and {@code in.w()} are the image (and output) size
     * @param filter  the prepared filter; {@code filter.inChannels() <= in.cs()} channels are read per pixel
     * @param out     the output, at least {@code N·H·W·filter.outChannels()} floats, overwritten
     * @throws IllegalArgumentException if the image size is odd, the border is too thin, an array is too
     *         short, or the filter was prepared for another provider's implicit GEMM
     */
    public static void convolve(KernelProvider kernels, float[] src, ChannelsLast.Layout in, WinogradFilter filter,
                                float[] out) {
        Parallel.forEach(convolveTasks(kernels, src, in, filter, out));
    }

    /**
     * {@link #convolve(KernelProvider, float[], ChannelsLast.Layout, WinogradFilter, float[])} as tasks not run
     * yet, so that a caller can run them in one job with independent work ({@link Parallel#forEach(TaskList...)});
     * running them all gives the same bits. The arguments are checked now, nothing is written until the tasks run.
     *
     * @param kernels the provider whose implicit GEMM and transforms run it; the one the filter was prepared for
     * @param src     the input, padded channels-last in layout {@code in} (a border of at least one pixel)
     * @param in      the input's layout; {@code in.h()} and {@code in.w()} are the image (and output) size
     * @param filter  the prepared filter; {@code filter.inChannels() <= in.cs()} channels are read per pixel
     * @param out     the output, at least {@code N·H·W·filter.outChannels()} floats, overwritten when the tasks run
     * @return the tasks, many short ones (tile groups)
     * @throws IllegalArgumentException as {@link #convolve(KernelProvider, float[], ChannelsLast.Layout, WinogradFilter,
     *         float[])}
     */
    public static TaskList convolveTasks(KernelProvider kernels, float[] src, ChannelsLast.Layout in, WinogradFilter filter,
                                         float[] out) {
        int k = filter.k;
        int n = filter.n;
        checkInput(src, in, k);
        checkOutput(in, n, out);
        ImplicitGemm gemm = kernels.implicitGemm();
        if (filter.gemm != gemm) {
            throw new IllegalArgumentException("winograd: the filter was prepared for another implicit GEMM ("
                    + filter.gemm.name() + "), this convolution runs on " + gemm.name());
        }
        int h = in.h();
        int w = in.w();
        int tilesY = h / 2;
        int tilesX = w / 2;
        int tiles = in.n() * tilesY * tilesX;
        if (tiles == 0 || n == 0) {
            return TaskList.NONE;
        }
        WinogradTransforms transforms = kernels.winogradTransforms();
        int chunkWidth = filter.chunkWidth;
        int chunks = filter.chunks.length;
        ImplicitGemm.Packed[] u = filter.chunks;
        int perTask = tilesPerTask(k, chunkWidth);
        int groups = (tiles + perTask - 1) / perTask;
        int pixelStride = in.cs();
        int rowStride = in.wq() * in.cs();
        // Chunk-major, so that the groups one thread takes in a row share their chunk's filter panels.
        return new TaskList(chunks * groups, task -> {
            int j0 = task / groups * chunkWidth;
            int width = Math.min(chunkWidth, n - j0);
            int t0 = task % groups * perTask;
            int count = Math.min(tiles, t0 + perTask) - t0;
            int[] inOrigins = inputOrigins(in, t0, count);
            int[] outOrigins = new int[count];
            for (int q = 0; q < count; q++) {
                int t = t0 + q;
                int img = t / (tilesY * tilesX);
                outOrigins[q] = ((img * h + 2 * (t / tilesX % tilesY)) * w + 2 * (t % tilesX)) * n + j0;
            }
            // Position-major, [16][count][channels], so each position's rows are one contiguous block.
            float[] v = Workspace.get(Workspace.Slot.WINOGRAD_TILES, Winograd.POSITIONS * count * k);
            float[] m = Workspace.get(Workspace.Slot.WINOGRAD_PRODUCTS, Winograd.POSITIONS * count * width);
            transforms.input(src, inOrigins, 0, count, pixelStride, rowStride, k, v, k, count * k);
            int[] vRows = new int[count];
            int[] mRows = new int[count];
            for (int t = 0; t < count; t++) {
                vRows[t] = t * k;
            }
            int[] position = new int[1];
            for (int xi = 0; xi < Winograd.POSITIONS; xi++) {
                position[0] = xi * count * k;
                for (int t = 0; t < count; t++) {
                    mRows[t] = (xi * count + t) * width;
                }
                gemm.gather(count, width, k, v, vRows, position, u[task / groups], xi * k, m, mRows);
            }
            transforms.output(m, width, count * width, outOrigins, 0, count, n, w * n, width, out);
        });
    }

    /** Tile groups {@link #weightGradient} makes at least, where there are enough tiles, so that two threads have work. */
    private static final int MIN_GRADIENT_GROUPS = 2;

    /**
     * Floats of transformed input and gradient tiles one weight-gradient task keeps at most (16 MiB), where
     * {@link #MIN_GRADIENT_GROUPS} allows: more groups mean more partial sums to add and transform.
     */
    private static final long GRADIENT_GROUP_FLOATS = 1L << 22;

    /**
     * Tile groups of {@link #weightGradient}: the fewest (at least {@value #MIN_GRADIENT_GROUPS}) whose
     * transformed tiles stay within {@value #GRADIENT_GROUP_FLOATS} floats per task, at most one per tile.
     * A function of the sizes only.
     *
     * @param tiles       the 2x2 output tiles of the batch
     * @param inChannels  channels read per input pixel
     * @param outChannels channels read per output-gradient pixel
     * @return the group count, at least 1
     */
    static int gradientGroups(int tiles, int inChannels, int outChannels) {
        long floats = (long) tiles * Winograd.POSITIONS * (inChannels + outChannels);
        long groups = Math.max(MIN_GRADIENT_GROUPS, (floats + GRADIENT_GROUP_FLOATS - 1) / GRADIENT_GROUP_FLOATS);
        return (int) Math.max(1, Math.min(tiles, groups));
    }

    /**
     * The weight gradient of {@link #convolve}'s convolution, by Winograd F(2x2, 3x3):
     * {@code dw[((i·3 + j)·k + c)·n + o] = Σ_(img,y,x) src(img, y + i - 1, x + j - 1, c) · dy(img, y, x, o)}, as
     * <pre>
     *   dU[ξ][c][o] = Σ_t V[ξ][t][c] · Z[ξ][t][o]      V = Bᵀ d_t B (input tiles), Z = A g_t Aᵀ (gradient tiles)
     *   dw          = Gᵀ dU G                           per filter element
     * </pre>
     * with 16 multiplications per 2x2 outputs and channel pair instead of 36. The tiles are cut into a
     * fixed number of groups (a function of the sizes only); each task sums one group's tiles in ascending
     * order for all output channels, and the groups' partial sums are added in group order, so
     * the result is the same bits on any thread count. An element whose products are all zero (no image has
     * a pixel where the tap's input and the output gradient are both nonzero) is set to exactly 0, as a
     * direct sum gives it, instead of the transforms' rounding noise ({@link TapOverlap#zeroDisjoint}).
     *
     * @param kernels the provider whose implicit GEMM and transforms run it
     * @param src     the input, padded channels-last in layout {@code in} (a border of at least one pixel)
     * @param in      the input's layout
     * @param k       the input channels, {@code <= in.cs()}
     * @param dy      the output gradient, channels-last in layout {@code g} (same image size as {@code in})
     * @param g       the output gradient's layout
     * @param n       the output channels, {@code <= g.cs()}
     * @param dw      the weight gradient, tap-major {@code [9][k][n]}, overwritten
     * @throws IllegalArgumentException if the sizes do not match, the image size is odd, the input's border
     *         is too thin, or an array is too short
     */
    public static void weightGradient(KernelProvider kernels, float[] src, ChannelsLast.Layout in, int k, float[] dy,
                                      ChannelsLast.Layout g, int n, float[] dw) {
        checkInput(src, in, k);
        int h = in.h();
        int w = in.w();
        if (g.n() != in.n() || g.h() != h || g.w() != w) {
            throw new IllegalArgumentException("winograd: the output gradient is " + g.n() + " images of " + g.h() + "x"
                    + g.w() + ", the input " + in.n() + " of " + h + "x" + w);
        }
        if (n > g.cs()) {
            throw new IllegalArgumentException("winograd: " + n + " channels read from gradient pixels of " + g.cs() + " floats");
        }
        if (dy.length < g.size()) {
            throw new IllegalArgumentException("winograd: the output gradient has " + dy.length + " floats, its layout needs "
                    + g.size());
        }
        int plane = k * n;
        if ((long) 9 * plane > dw.length) {
            throw new IllegalArgumentException("winograd: the weight gradient has " + dw.length + " floats, needs 9*k*n = "
                    + (long) 9 * plane);
        }
        int tilesY = h / 2;
        int tilesX = w / 2;
        int tiles = in.n() * tilesY * tilesX;
        if (plane == 0) {
            return;
        }
        ImplicitGemm gemm = kernels.implicitGemm();
        WinogradTransforms transforms = kernels.winogradTransforms();
        // All output channels in one task: cutting them into chunks (as the forward does for its filter panels)
        // repeated each group's input transform per chunk and shortened the products' rows, which made the
        // weight gradient slower than the direct one on the 256- and 512-channel layers.
        int groups = gradientGroups(tiles, k, n);
        int perGroup = (tiles + groups - 1) / Math.max(1, groups);
        int positions = Winograd.POSITIONS;
        float[] partials = Workspace.get(Workspace.Slot.WINOGRAD_GRADIENT_PARTIALS, groups * positions * plane);
        Parallel.forEach(groups, group -> {
            int t0 = group * perGroup;
            int count = Math.max(0, Math.min(tiles, t0 + perGroup) - t0);
            int base = group * positions * plane;
            if (count == 0) {
                java.util.Arrays.fill(partials, base, base + positions * plane, 0f);
                return;
            }
            int[] inOrigins = inputOrigins(in, t0, count);
            int[] gradOrigins = new int[count];
            for (int q = 0; q < count; q++) {
                int t = t0 + q;
                int img = t / (tilesY * tilesX);
                gradOrigins[q] = g.pixel(img, 2 * (t / tilesX % tilesY) + g.top(), 2 * (t % tilesX) + g.left());
            }
            float[] v = Workspace.get(Workspace.Slot.WINOGRAD_TILES, positions * count * k);
            float[] z = Workspace.get(Workspace.Slot.WINOGRAD_PRODUCTS, positions * count * n);
            float[] product = Workspace.get(Workspace.Slot.WINOGRAD_GRADIENT_PRODUCT, plane);
            transforms.input(src, inOrigins, 0, count, in.cs(), in.wq() * in.cs(), k, v, k, count * k);
            transforms.gradient(dy, gradOrigins, 0, count, g.cs(), g.wq() * g.cs(), n, z, n, count * n);
            int[] vRows = new int[count];
            int[] zRows = new int[count];
            for (int t = 0; t < count; t++) {
                vRows[t] = t * k;
            }
            int[] position = new int[1];
            for (int xi = 0; xi < positions; xi++) {
                position[0] = xi * count * k;
                for (int t = 0; t < count; t++) {
                    zRows[t] = (xi * count + t) * n;
                }
                gemm.gatherTransposed(count, n, k, v, vRows, position, z, zRows, product);
                System.arraycopy(product, 0, partials, base + xi * plane, plane);
            }
        });
        // dU = the groups' partial sums added in group order, element by element.
        int total = positions * plane;
        Parallel.forRows(total, groups, (e0, e1) -> {
            for (int q = 1; q < groups; q++) {
                int p = q * total;
                for (int e = e0; e < e1; e++) {
                    partials[e] += partials[p + e];
                }
            }
        });
        Winograd.filterGradientTransform(partials, dw, plane);
        TapOverlap.zeroDisjoint(src, in, k, dy, g, n, dw);
    }

    /** Checks what both directions read: an even image size, a zero border of one pixel, and the input's size. */
    private static void checkInput(float[] src, ChannelsLast.Layout in, int k) {
        int h = in.h();
        int w = in.w();
        if (h % 2 != 0 || w % 2 != 0) {
            throw new IllegalArgumentException("winograd: F(2x2,3x3) needs an even height and width, got " + h + "x" + w);
        }
        if (in.top() < 1 || in.left() < 1 || in.hq() - in.top() - h < 1 || in.wq() - in.left() - w < 1) {
            throw new IllegalArgumentException("winograd: the input needs a zero border of at least one pixel, got layout "
                    + in);
        }
        if (src.length < in.size()) {
            throw new IllegalArgumentException("winograd: the input has " + src.length + " floats, its layout needs "
                    + in.size());
        }
        if (k > in.cs()) {
            throw new IllegalArgumentException("winograd: " + k + " channels read from pixels of " + in.cs() + " floats");
        }
    }

    /** Checks that {@code out} holds the {@code N·H·W·n} floats of the output. */
    private static void checkOutput(ChannelsLast.Layout in, int n, float[] out) {
        if ((long) in.n() * in.h() * in.w() * n > out.length) {
            throw new IllegalArgumentException("winograd: the output has " + out.length + " floats, needs "
                    + (long) in.n() * in.h() * in.w() * n);
        }
    }

    /**
     * Where the 4x4 input block of each of the tiles {@code [t0, t0 + count)} starts: tiles run image by
     * image, row by row, and the block of output tile {@code (2ty, 2tx)} starts one pixel up and left of it.
     */
    private static int[] inputOrigins(ChannelsLast.Layout in, int t0, int count) {
        int tilesY = in.h() / 2;
        int tilesX = in.w() / 2;
        int[] origins = new int[count];
        for (int q = 0; q < count; q++) {
            int t = t0 + q;
            int img = t / (tilesY * tilesX);
            origins[q] = in.pixel(img, 2 * (t / tilesX % tilesY) + in.top() - 1, 2 * (t % tilesX) + in.left() - 1);
        }
        return origins;
    }
}
