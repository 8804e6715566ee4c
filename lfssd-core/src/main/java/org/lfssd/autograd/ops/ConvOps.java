package org.lfssd.autograd.ops;

import java.util.Locale;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Config;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.Im2col;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.WinogradConvolution;
import org.lfssd.kernels.Workspace;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * 2-D convolution (groups = 1, zero padding), by one of three algorithms ({@code lfssd.conv}):
 * {@link Algorithm#DIRECT} ({@link DirectConv}: channels-last implicit GEMM, no column matrix),
 * {@link Algorithm#WINOGRAD} (direct with Winograd F(2x2, 3x3) where it applies) or
 * {@link Algorithm#IM2COL} (below); {@link Algorithm#AUTO} picks direct where its kernels are fast.
 *
 * <p>Im2col: one GEMM per chunk of images.
 *
 * <p>Forward, per chunk of {@code nc} images: unfold the chunk into a column matrix
 * {@code col [C*kh*kw, nc*Ho*Wo]}, multiply {@code W [O, C*kh*kw] · col}, and write the
 * {@code [O, nc*Ho*Wo]} product into the NCHW output (adding the bias on the way). A chunk of one image
 * needs no reordering: the product is that image's {@code [O, Ho*Wo]} output, written in place.
 * Pointwise convolutions (1x1, stride 1, no padding) of single-image chunks skip im2col entirely: an
 * image already is its column matrix.
 *
 * <p>Backward, per chunk: {@code dW += dY·colᵀ}, recomputing {@code col} from the saved input rather
 * than keeping it (it is {@code kh*kw} times the input's size); {@code dX = col2im(Wᵀ·dY)}; the bias
 * gradient is the per-channel sum of {@code dY}. Gradients of inputs that do not require one are not
 * computed at all (the network's first convolution needs no input gradient, saving a GEMM and a col2im).
 *
 * <p>Chunks bound the column buffer's size and depend only on the shapes; they run one after another
 * (each GEMM parallelises internally) and {@code dW} sums them in chunk order, so results are
 * bit-identical for any thread count.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * Size, in floats, that a chunk's column matrix stays within (8 MiB) unless a single image exceeds it
     * (then each image is a chunk): large enough for GEMMs with hundreds of columns even for 512-channel
     * 3x3 layers, small enough to bound memory (the whole batch's matrix of a 64-channel 32x32 layer at
     * batch 64 would be 150 MB) and to stay in cache on its way to the GEMM.
     */
    static final long COLUMN_BUDGET = 1L << 21;

    /** How a convolution is computed; every choice gives the same values up to float rounding. */
    public enum Algorithm {
        /**
         * {@link #WINOGRAD} for the forward and input gradient where it applies and {@link #DIRECT} elsewhere,
         * where the SIMD provider runs them fast (at least 16 input channels in multiples of 4, output channels
         * in multiples of 32), else {@link #IM2COL}. The weight gradient stays direct: Winograd's weight
         * gradient ({@link #WINOGRAD}) keeps the exact zeros of taps whose inputs and output gradients never
         * meet ({@link org.lfssd.kernels.TapOverlap}) and then selects the same parameters, but it is faster
         * than the direct one only on the 128- and 256-channel ResNet18-CIFAR layers (on 512 channels the
         * search for those zeros costs what it saves, on 64 it is slower), too little to show in a whole
         * importance step, for tens of MiB more workspace (lfssd-bench/results/winograd-dw-2026-12-01d.md).
         */
        AUTO,
        /** Unfold to a column matrix per chunk of images, then GEMM. */
        IM2COL,
        /** Channels-last implicit GEMM. */
        DIRECT,
        /**
         * {@link #DIRECT}, with Winograd F(2x2, 3x3) for the forward, input gradient and weight gradient of
         * stride-1 3x3 "same" layers of even size (asked for explicitly; {@link #AUTO} keeps the weight
         * gradient direct): 16 multiplications per 2x2 outputs and channel pair instead of 36, with the
         * transforms fused into the products tile group by tile group
         * ({@link org.lfssd.kernels.WinogradConvolution}). A weight gradient whose products are all zero is
         * exactly zero, as the direct sum gives it, not rounding noise ({@link org.lfssd.kernels.TapOverlap}).
         */
        WINOGRAD
    }

    private static final Algorithm CONFIGURED =
            Algorithm.valueOf(Config.choice("lfssd.conv", "auto", "auto", "im2col", "direct", "winograd").toUpperCase(Locale.ROOT));

    private static final ThreadLocal<Algorithm> SCOPED = new ThreadLocal<>();


    /**
     * The algorithm {@code lfssd.conv} selects (read once).
     *
     * @return the configured algorithm ({@link Algorithm#AUTO} unless set)
     */
    public static Algorithm configuredAlgorithm() {
        return CONFIGURED;
    }

    /**
     * Makes convolutions started on this thread use {@code algorithm} until the returned scope is closed
     * ({@code try (var s = ConvOps.using(Algorithm.IM2COL)) { ... }}), so that one process can compare
     * algorithms; scopes nest.
     *
     * @param algorithm the algorithm to use until the scope is closed
     * @return the scope, to be closed on this thread
     * @throws IllegalArgumentException if {@code algorithm} is null
     */
    public static Scope using(Algorithm algorithm) {
        if (algorithm == null) {
            throw new IllegalArgumentException("conv2d: algorithm must not be null");
        }
        Scope s = new Scope(SCOPED.get());
        SCOPED.set(algorithm);
        return s;
    }

    /** An open {@link #using} scope; closing restores the algorithm that was in force before it. */
    public static final class Scope implements AutoCloseable {
        private final Algorithm previous;
        private boolean closed;

        private Scope(Algorithm previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                SCOPED.set(previous);
            }
        }
    }

    /**
     * {@code conv2d(x [N,C,H,W], w [O,C,kh,kw], bias [O] or null)} with the given stride and zero padding;
     * the output is {@code [N, O, Ho, Wo]} with {@code Ho = (H + 2*padding - kh)/stride + 1}.
     *
     * @param x       the input {@code [N, C, H, W]}
     * @param w       the weight {@code [O, C, kh, kw]}
     * @param bias    the bias {@code [O]}, or null
     * @param stride  the stride on both axes
     * @param padding the zero padding on each side of both axes
     * @return {@code [N, O, Ho, Wo]}
     */
    public static Var conv2d(Var x, Var w, Var bias, int stride, int padding) {
        Algorithm scoped = SCOPED.get();
        return conv2d(x, w, bias, stride, padding, scoped != null ? scoped : CONFIGURED);
    }

    /**
     * {@link #conv2d(Var, Var, Var, int, int)} with an explicit algorithm.
     *
     * @param x         the input {@code [N, C, H, W]}
     * @param w         the weight {@code [O, C, kh, kw]}
     * @param bias      the bias {@code [O]}, or null
     * @param stride    the stride on both axes
     * @param padding   the zero padding on each side of both axes
     * @param algorithm how to compute it, overriding {@code lfssd.conv} and any {@link #using} scope;
     *                  {@link Algorithm#WINOGRAD} falls back to {@link Algorithm#DIRECT} where it does not apply
     * @return {@code [N, O, Ho, Wo]}
     * @throws IllegalArgumentException if the shapes do not match, {@code stride < 1}, {@code padding < 0}
     *         or the output would be empty
     */
    public static Var conv2d(Var x, Var w, Var bias, int stride, int padding, Algorithm algorithm) {
        Tensor xv = x.value();
        Tensor wv = w.value();
        Tensor bv = bias == null ? null : bias.value();
        Im2col.Geometry g = geometry(xv, wv, bv, stride, padding);
        Algorithm chosen = resolve(algorithm, g, wv.size(0), stride, padding);
        if (chosen != Algorithm.IM2COL) {
            // Only an explicit request takes the weight gradient through Winograd too (see Algorithm.AUTO).
            boolean winograd = chosen == Algorithm.WINOGRAD;
            return direct(x, w, bias, stride, padding, winograd, winograd && algorithm == Algorithm.WINOGRAD);
        }
        Plan plan = new Plan(g, xv.size(0), wv.size(0));
        Tensor y = forward(plan, xv, wv, bv);
        boolean needX = x.requiresGrad();
        boolean needW = w.requiresGrad();
        boolean needB = bias != null && bias.requiresGrad();
        return Var.fromOp("conv2d", y, gy -> {
            Tensor[] dxdw = needX || needW ? inputAndWeightGrads(plan, xv, wv, gy, needX, needW) : new Tensor[2];
            return new Tensor[] {dxdw[0], dxdw[1], needB ? biasGrad(plan.images, plan.outChannels, plan.plane, gy) : null};
        }, x, w, bias);
    }

    /**
     * {@link #conv2d(Var, Var, Var, int, int)} on channels-last activations: {@code x [N, H, W, C]} to
     * {@code [N, Ho, Wo, O]}, each pixel's channels contiguous; the weight and the bias are as for
     * {@code conv2d}. Where the algorithm ({@code lfssd.conv}, or the {@link #using} scope) is direct or
     * Winograd, {@link DirectConv} reads and writes this layout itself (one row copy into its padded
     * buffer instead of a transpose each way); the values are the same bits as {@code conv2d} on the NCHW
     * form of {@code x}. Where it is im2col, the op transposes to NCHW and back around {@code conv2d}.
     *
     * @param x       the input {@code [N, H, W, C]}
     * @param w       the weight {@code [O, C, kh, kw]}
     * @param bias    the bias {@code [O]}, or null
     * @param stride  the stride on both axes
     * @param padding the zero padding on each side of both axes
     * @return {@code [N, Ho, Wo, O]}
     * @throws IllegalArgumentException if the shapes do not match, {@code stride < 1}, {@code padding < 0}
     *         or the output would be empty
     */
    public static Var conv2dChannelsLast(Var x, Var w, Var bias, int stride, int padding) {
        Algorithm scoped = SCOPED.get();
        return conv2dChannelsLast(x, w, bias, stride, padding, scoped != null ? scoped : CONFIGURED);
    }

    /**
     * {@link #conv2dChannelsLast(Var, Var, Var, int, int)} with an explicit algorithm.
     *
     * @param x         the input {@code [N, H, W, C]}
     * @param w         the weight {@code [O, C, kh, kw]}
     * @param bias      the bias {@code [O]}, or null
     * @param stride    the stride on both axes
     * @param padding   the zero padding on each side of both axes
     * @param algorithm how to compute it, as for {@link #conv2d(Var, Var, Var, int, int, Algorithm)}
     * @return {@code [N, Ho, Wo, O]}
     * @throws IllegalArgumentException if the shapes do not match, {@code stride < 1}, {@code padding < 0}
     *         or the output would be empty
     */
    public static Var conv2dChannelsLast(Var x, Var w, Var bias, int stride, int padding, Algorithm algorithm) {
        Tensor xv = x.value();
        if (xv.dim() != 4) {
            throw new IllegalArgumentException("conv2dChannelsLast: expected x [N,H,W,C], got " + Shapes.str(xv.shape()));
        }
        Tensor wv = w.value();
        Tensor bv = bias == null ? null : bias.value();
        // The checks of conv2d, on the NCHW shape of x.
        Tensor nchwShape = Tensor.wrap(xv.data(), xv.offset(), xv.size(0), xv.size(3), xv.size(1), xv.size(2));
        Im2col.Geometry g = geometry(nchwShape, wv, bv, stride, padding);
        Algorithm chosen = resolve(algorithm, g, wv.size(0), stride, padding);
        if (chosen == Algorithm.IM2COL) {
            return LayoutOps.toChannelsLast(conv2d(LayoutOps.toNchw(x), w, bias, stride, padding, Algorithm.IM2COL));
        }
        boolean winograd = chosen == Algorithm.WINOGRAD;
        boolean winogradWeights = winograd && algorithm == Algorithm.WINOGRAD;
        DirectConv dc = new DirectConv(xv.size(0), xv.size(3), xv.size(1), xv.size(2), wv.size(0), wv.size(2), wv.size(3),
                stride, padding, winograd, winogradWeights, true);
        Tensor y = dc.forward(xv, wv, bv);
        boolean needX = x.requiresGrad();
        boolean needW = w.requiresGrad();
        boolean needB = bias != null && bias.requiresGrad();
        Tensor saved = needW ? xv : null;
        return Var.fromOp("conv2d(channels last)", y, gy -> {
            Tensor[] dxdw = needX || needW ? dc.backward(saved, wv, gy, needX, needW) : new Tensor[2];
            return new Tensor[] {dxdw[0], dxdw[1], needB ? channelsLastBiasGrad(dc.pixels(), dc.outChannels, gy) : null};
        }, x, w, bias);
    }

    /** {@code db[o] = sum over pixels of dY[p, o]} of a channels-last gradient, per channel in pixel order, in double. */
    private static Tensor channelsLastBiasGrad(int pixels, int outChannels, Tensor gy) {
        Tensor db = Tensor.zeros(outChannels);
        float[] g = gy.data();
        int gOff = gy.offset();
        Parallel.forRows(outChannels, pixels, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                double s = 0;
                for (int p = 0; p < pixels; p++) {
                    s += g[gOff + p * outChannels + o];
                }
                db.data()[o] = (float) s;
            }
        });
        return db;
    }

    static Algorithm resolve(Algorithm a, Im2col.Geometry g, int outChannels, int stride, int padding) {
        boolean winogradApplies = WinogradConvolution.applies(g.height(), g.width(), g.kernelH(), g.kernelW(), stride, padding);
        if (a == Algorithm.WINOGRAD) {
            return winogradApplies ? Algorithm.WINOGRAD : Algorithm.DIRECT;
        }
        if (a != Algorithm.AUTO) {
            return a;
        }
        int channels = g.channels();
        boolean fast = Kernels.provider().vectorBitSize() > 0 && channels >= 16 && channels % 4 == 0 && outChannels % 32 == 0;
        if (!fast) {
            return Algorithm.IM2COL;
        }
        return winogradApplies ? Algorithm.WINOGRAD : Algorithm.DIRECT;
    }

    private static Var direct(Var x, Var w, Var bias, int stride, int padding, boolean winograd, boolean winogradWeights) {
        Tensor xv = x.value();
        Tensor wv = w.value();
        DirectConv dc = new DirectConv(xv.size(0), xv.size(1), xv.size(2), xv.size(3), wv.size(0), wv.size(2), wv.size(3),
                stride, padding, winograd, winogradWeights);
        Tensor y = dc.forward(xv, wv, bias == null ? null : bias.value());
        boolean needX = x.requiresGrad();
        boolean needW = w.requiresGrad();
        boolean needB = bias != null && bias.requiresGrad();
        // Backward reads the input only for dW: keep it only then.
        Tensor saved = needW ? xv : null;
        return Var.fromOp("conv2d", y, gy -> {
            Tensor[] dxdw = needX || needW ? dc.backward(saved, wv, gy, needX, needW) : new Tensor[2];
            return new Tensor[] {dxdw[0], dxdw[1], needB ? biasGrad(dc.images, dc.outChannels, dc.outH * dc.outW, gy) : null};
        }, x, w, bias);
    }

    private static Im2col.Geometry geometry(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        if (x.dim() != 4 || w.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected x [N,C,H,W] and w [O,C,kh,kw], got x "
                    + Shapes.str(x.shape()) + " and w " + Shapes.str(w.shape()));
        }
        if (w.size(1) != x.size(1)) {
            throw new IllegalArgumentException("conv2d: w " + Shapes.str(w.shape()) + " expects " + w.size(1)
                    + " input channels but x " + Shapes.str(x.shape()) + " has " + x.size(1));
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(b.shape()) + " does not match the "
                    + w.size(0) + " output channels of w " + Shapes.str(w.shape()));
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0, got stride " + stride
                    + ", padding " + padding);
        }
        if (x.size(0) < 1 || w.size(0) < 1 || w.size(2) < 1 || w.size(3) < 1
                || x.size(2) + 2 * padding < w.size(2) || x.size(3) + 2 * padding < w.size(3)) {
            throw new IllegalArgumentException("conv2d: empty output for x " + Shapes.str(x.shape()) + ", w "
                    + Shapes.str(w.shape()) + ", stride " + stride + ", padding " + padding);
        }
        return new Im2col.Geometry(x.size(1), x.size(2), x.size(3), w.size(2), w.size(3), stride, padding);
    }

    /** Sizes of one convolution and how its batch is cut into chunks; a function of the shapes only. */
    private static final class Plan {
        final Im2col.Geometry g;
        final int images;
        final int outChannels;
        /** GEMM inner dimension {@code C*kh*kw}. */
        final int k;
        /** Output pixels per channel, {@code Ho*Wo}. */
        final int plane;
        final int imagesPerChunk;

        Plan(Im2col.Geometry g, int images, int outChannels) {
            this.g = g;
            this.images = images;
            this.outChannels = outChannels;
            this.k = g.rows();
            this.plane = g.outPlane();
            long perImage = (long) k * plane;
            if (perImage > Integer.MAX_VALUE - 8 || (long) outChannels * plane * images > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("conv2d: geometry " + g + " with " + outChannels + " output channels and "
                        + images + " images is too large for Java arrays");
            }
            // As many images as fit the budget, then evened out so that chunks differ by at most one image.
            int fit = (int) Math.max(1, Math.min(images, COLUMN_BUDGET / perImage));
            int chunks = (images + fit - 1) / fit;
            this.imagesPerChunk = (images + chunks - 1) / chunks;
        }

        int chunkSize(int firstImage) {
            return Math.min(imagesPerChunk, images - firstImage);
        }

        /** Whether the chunk's column matrix is the input itself (no im2col needed). */
        boolean readsInputDirectly(int chunkImages) {
            return chunkImages == 1 && g.isPointwise();
        }

        int inImage() {
            return g.channels() * g.inPlane();
        }

        int outImage() {
            return outChannels * plane;
        }

        /** Floats of column-matrix workspace needed, unless every chunk reads the input directly. */
        int columnBuffer() {
            return readsInputDirectly(imagesPerChunk) ? 0 : k * plane * imagesPerChunk;
        }

        /** Floats of chunk-layout workspace for outputs/gradients, needed only for multi-image chunks. */
        int chunkBuffer() {
            return imagesPerChunk == 1 ? 0 : outChannels * plane * imagesPerChunk;
        }
    }

    // ---------------------------------------------------------------- forward

    private static Tensor forward(Plan p, Tensor x, Tensor w, Tensor b) {
        Gemm gemm = Kernels.gemm();
        Tensor y = Tensor.uninitialized(p.images, p.outChannels, p.g.outHeight(), p.g.outWidth()); // each chunk's product (beta = 0) or its scatter
        float[] yd = y.data();
        // Written whole before they are read, chunk by chunk (im2col fills the padding too), so reused buffers
        // do: new arrays of these sizes are humongous for G1 and cost a collection every few steps.
        float[] col = Workspace.get(Workspace.Slot.IM2COL_COLUMNS, p.columnBuffer());
        float[] chunkOut = Workspace.get(Workspace.Slot.IM2COL_CHUNK, p.chunkBuffer());
        for (int n0 = 0; n0 < p.images; n0 += p.imagesPerChunk) {
            int nc = p.chunkSize(n0);
            int cols = nc * p.plane;
            float[] colArr = col;
            int colOff = 0;
            int xChunk = x.offset() + n0 * p.inImage();
            if (p.readsInputDirectly(nc)) {
                colArr = x.data();
                colOff = xChunk;
            } else {
                Im2col.im2col(p.g, nc, x.data(), xChunk, col, 0);
            }
            if (nc == 1) {
                int yOff = n0 * p.outImage();
                gemm.sgemm(false, false, p.outChannels, cols, p.k, 1f, w.data(), w.offset(), p.k,
                        colArr, colOff, cols, 0f, yd, yOff, cols);
                if (b != null) {
                    addBiasInPlace(p, b, yd, yOff);
                }
            } else {
                gemm.sgemm(false, false, p.outChannels, cols, p.k, 1f, w.data(), w.offset(), p.k,
                        colArr, colOff, cols, 0f, chunkOut, 0, cols);
                scatter(p, nc, chunkOut, b, yd, n0 * p.outImage());
            }
        }
        return y;
    }

    private static void addBiasInPlace(Plan p, Tensor b, float[] y, int yOff) {
        KernelProvider ops = Kernels.provider();
        float[] bd = b.data();
        int bOff = b.offset();
        for (int o = 0; o < p.outChannels; o++) {
            int at = yOff + o * p.plane;
            ops.addScalar(bd[bOff + o], y, at, y, at, p.plane);
        }
    }

    /** Chunk layout {@code [O, nc*P]} to NCHW {@code [nc, O, P]}, plus the bias if there is one. */
    private static void scatter(Plan p, int nc, float[] chunk, Tensor b, float[] y, int yOff) {
        KernelProvider ops = Kernels.provider();
        int cols = nc * p.plane;
        int planes = nc * p.outChannels;
        Parallel.forRows(planes, p.plane, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int n = q / p.outChannels;
                int o = q % p.outChannels;
                int src = o * cols + n * p.plane;
                int dst = yOff + q * p.plane;
                if (b == null) {
                    System.arraycopy(chunk, src, y, dst, p.plane);
                } else {
                    ops.addScalar(b.data()[b.offset() + o], chunk, src, y, dst, p.plane);
                }
            }
        });
    }

    /** NCHW {@code [nc, O, P]} starting at {@code gOff} to the chunk layout {@code [O, nc*P]}. */
    private static void gather(Plan p, int nc, float[] g, int gOff, float[] chunk) {
        int cols = nc * p.plane;
        int planes = nc * p.outChannels;
        Parallel.forRows(planes, p.plane, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int n = q / p.outChannels;
                int o = q % p.outChannels;
                System.arraycopy(g, gOff + q * p.plane, chunk, o * cols + n * p.plane, p.plane);
            }
        });
    }

    // ---------------------------------------------------------------- backward

    /**
     * {@code dX = col2im(Wᵀ · dY)} and {@code dW = sum over chunks of dY_chunk · col_chunkᵀ} (chunks added
     * in order), whichever are wanted, in one pass over the chunks so that each chunk of {@code dY} is
     * reordered once and one column buffer serves both the recomputed input columns and their gradient.
     */
    private static Tensor[] inputAndWeightGrads(Plan p, Tensor x, Tensor w, Tensor gy, boolean needX, boolean needW) {
        Gemm gemm = Kernels.gemm();
        Tensor dx = needX ? Tensor.zeros(p.images, p.g.channels(), p.g.height(), p.g.width()) : null;
        Tensor dw = needW ? Tensor.zeros(p.outChannels, p.g.channels(), p.g.kernelH(), p.g.kernelW()) : null;
        // Written whole before they are read, as in forward.
        float[] col = Workspace.get(Workspace.Slot.IM2COL_COLUMNS, p.columnBuffer());
        float[] chunkGrad = Workspace.get(Workspace.Slot.IM2COL_CHUNK, p.chunkBuffer());
        for (int n0 = 0; n0 < p.images; n0 += p.imagesPerChunk) {
            int nc = p.chunkSize(n0);
            int cols = nc * p.plane;
            boolean direct = p.readsInputDirectly(nc);
            float[] dyArr = gy.data();
            int dyOff = gy.offset() + n0 * p.outImage();
            if (nc > 1) {
                gather(p, nc, dyArr, dyOff, chunkGrad);
                dyArr = chunkGrad;
                dyOff = 0;
            }
            if (needW) {
                float[] colArr = col;
                int colOff = 0;
                int xChunk = x.offset() + n0 * p.inImage();
                if (direct) {
                    colArr = x.data();
                    colOff = xChunk;
                } else {
                    Im2col.im2col(p.g, nc, x.data(), xChunk, col, 0);
                }
                gemm.sgemm(false, true, p.outChannels, p.k, cols, 1f, dyArr, dyOff, cols, colArr, colOff, cols,
                        n0 == 0 ? 0f : 1f, dw.data(), 0, p.k);
            }
            if (needX) {
                int dxChunk = n0 * p.inImage();
                if (direct) {
                    gemm.sgemm(true, false, p.k, cols, p.outChannels, 1f, w.data(), w.offset(), p.k, dyArr, dyOff, cols,
                            0f, dx.data(), dxChunk, cols);
                } else {
                    gemm.sgemm(true, false, p.k, cols, p.outChannels, 1f, w.data(), w.offset(), p.k, dyArr, dyOff, cols,
                            0f, col, 0, cols);
                    Im2col.col2im(p.g, nc, col, 0, dx.data(), dxChunk);
                }
            }
        }
        return new Tensor[] {dx, dw};
    }

    /** {@code db[o] = sum over n and pixels of dY[n, o]}, per channel in image order, in double. */
    private static Tensor biasGrad(int images, int outChannels, int plane, Tensor gy) {
        KernelProvider ops = Kernels.provider();
        Tensor db = Tensor.zeros(outChannels);
        float[] dbd = db.data();
        float[] g = gy.data();
        int gOff = gy.offset();
        Parallel.forRows(outChannels, (long) plane * images, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                double s = 0;
                for (int n = 0; n < images; n++) {
                    s += ops.sum(g, gOff + (n * outChannels + o) * plane, plane);
                }
                dbd[o] = (float) s;
            }
        });
        return db;
    }
}
