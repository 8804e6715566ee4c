package org.lfssd.autograd.ops;

import org.lfssd.kernels.ChannelsLast;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.TaskList;
import org.lfssd.kernels.WinogradConvolution;
import org.lfssd.kernels.WinogradFilter;
import org.lfssd.kernels.Workspace;
import org.lfssd.tensor.Tensor;

/**
 * Direct convolution on channels-last data through the {@link ImplicitGemm}: no column matrix.
 *
 * <p>The input is copied into a zero-bordered channels-last buffer {@code xp [N][H+2p][W+2p][Cs]}.
 * Output pixel {@code (n, oy, ox)} then reads its window at {@code xp(n, oy·s, ox·s)} and tap
 * {@code (i, j)} at a fixed offset {@code (i·Wp + j)·Cs} from there, the same for every pixel, so
 * <pre>
 *   y[n, oy, ox, o] = Σ_(i,j) Σ_c xp(n, oy·s + i, ox·s + j, c) · w[o, c, i, j]           (forward)
 *   dW[o, c, i, j]  = Σ_(n,oy,ox) xp(n, oy·s + i, ox·s + j, c) · dY[n, oy, ox, o]          (weights)
 * </pre>
 * are the two implicit products, with the weights laid out {@code [tap][c][o]}.
 *
 * <p>The input gradient {@code dX[n, y, x, c] = Σ dY[n, oy, ox, o] · w[o, c, i, j]} over
 * {@code oy·s + i - p = y}, {@code ox·s + j - p = x} is a gather too once the input pixels are split into
 * the {@code s²} phases {@code (y mod s, x mod s)}: within a phase the contributing taps are fixed and
 * pixel {@code y = ry + s·u} reads {@code dY} row {@code u + (ry + p - i)/s}, a stride-1 window over a
 * zero-bordered channels-last copy of {@code dY}. A phase that no tap reaches (the odd pixels of a
 * strided 1x1 convolution) gets zeros.
 *
 * <p>Every sum runs in the order {@link ImplicitGemm} fixes, so results are bit-identical for any thread
 * count and for either kernel provider.
 *
 * <p>The weight enters only through its forms ({@link ConvWeightForms}: reordered and packed, or
 * Winograd-transformed and packed), which a {@link org.lfssd.autograd.FrozenParameters} scope holding
 * the weight derives once instead of on every call.
 *
 * <p>Tensors in and out are NCHW, or, when built {@code channelsLast}, unpadded channels-last
 * {@code [N][H][W][C]} ({@link ConvOps#conv2dChannelsLast}): then the input and the output gradient reach
 * the padded buffers by one row copy each ({@link ChannelsLast#pad}) instead of a transpose, and the
 * products write the output and the input gradient straight into the returned tensors. The arithmetic is
 * the same, so either form gives the same bits.
 */
final class DirectConv {
    /** The channel stride of the padded input is a multiple of this (the weight-gradient tiles' height). */
    private static final int CHANNEL_ALIGN = 4;

    final int images;
    final int channels;
    final int height;
    final int width;
    final int outChannels;
    final int kh;
    final int kw;
    final int stride;
    final int padding;
    final int outH;
    final int outW;
    /** Input buffer geometry. */
    final ChannelsLast.Layout in;

    /** Whether the forward and the input gradient use Winograd F(2x2, 3x3) (see {@link WinogradConvolution#applies}). */
    final boolean winograd;
    /** Whether the weight gradient uses Winograd F(2x2, 3x3) too. */
    final boolean winogradWeights;
    /** Whether the tensors in and out are channels-last {@code [N][H][W][C]} rather than NCHW. */
    final boolean channelsLast;

    DirectConv(int images, int channels, int height, int width, int outChannels, int kh, int kw, int stride, int padding,
               boolean winograd, boolean winogradWeights) {
        this(images, channels, height, width, outChannels, kh, kw, stride, padding, winograd, winogradWeights, false);
    }

    DirectConv(int images, int channels, int height, int width, int outChannels, int kh, int kw, int stride, int padding,
               boolean winograd, boolean winogradWeights, boolean channelsLast) {
        this.channelsLast = channelsLast;
        this.images = images;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.outChannels = outChannels;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.padding = padding;
        this.outH = (height + 2 * padding - kh) / stride + 1;
        this.outW = (width + 2 * padding - kw) / stride + 1;
        if (winograd && !WinogradConvolution.applies(height, width, kh, kw, stride, padding)) {
            throw new IllegalArgumentException("conv2d: Winograd F(2x2,3x3) needs a 3x3 kernel, stride 1, padding 1 and an even"
                    + " height and width, got " + kh + "x" + kw + " stride " + stride + " padding " + padding + " on "
                    + height + "x" + width);
        }
        this.winograd = winograd;
        this.winogradWeights = winograd && winogradWeights;
        int cs = (channels + CHANNEL_ALIGN - 1) / CHANNEL_ALIGN * CHANNEL_ALIGN;
        this.in = new ChannelsLast.Layout(images, channels, height, width, cs, padding, padding,
                height + 2 * padding, width + 2 * padding);
        if ((long) images * outH * outW * Math.max(outChannels, channels) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: " + images + " images of " + outH + "x" + outW + " outputs with "
                    + outChannels + " channels are too large for Java arrays");
        }
    }

    /** Output pixels. */
    int pixels() {
        return images * outH * outW;
    }

    /**
     * The padded channels-last copy of {@code x} (NCHW, or channels-last when {@link #channelsLast}) that the forward and the weight gradient read, in
     * this thread's reused buffer (so backward makes it again rather than keeping a copy of every layer's
     * input alive between forward and backward).
     */
    private float[] paddedInput(Tensor x) {
        if (channelsLast && isUnpadded(in) && x.offset() == 0) {
            return x.data(); // already the layout the products read (a 1x1 convolution without padding)
        }
        float[] xp = Workspace.get(Workspace.Slot.CONV_INPUT, in.size());
        if (channelsLast) {
            ChannelsLast.pad(x.data(), x.offset(), in, xp);
        } else {
            ChannelsLast.fromNchw(x.data(), x.offset(), in, xp);
        }
        return xp;
    }

    /** Whether a padded buffer of layout {@code l} is the unpadded channels-last tensor itself: no border, {@code cs == c}. */
    private static boolean isUnpadded(ChannelsLast.Layout l) {
        return l.top() == 0 && l.left() == 0 && l.hq() == l.h() && l.wq() == l.w() && l.cs() == l.c();
    }

    /** Offsets of each output pixel's window in the padded input. */
    private int[] windowRows() {
        int[] rows = new int[pixels()];
        Parallel.forEach(images, n -> {
            int i = n * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    rows[i++] = in.pixel(n, oy * stride, ox * stride);
                }
            }
        });
        return rows;
    }

    private int[] inputTaps() {
        int[] taps = new int[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                taps[i * kw + j] = (i * in.wq() + j) * in.cs();
            }
        }
        return taps;
    }

    /**
     * {@code y [N, O, Ho, Wo]} (NCHW) from {@code x [N, C, H, W]} and {@code w [O, C, kh, kw]}, plus {@code bias} if
     * not null; {@code y [N, Ho, Wo, O]} from {@code x [N, H, W, C]} when {@link #channelsLast}.
     */
    Tensor forward(Tensor x, Tensor w, Tensor bias) {
        ImplicitGemm gemm = Kernels.provider().implicitGemm();
        float[] xp = paddedInput(x);
        int taps = kh * kw;
        int cs = in.cs();
        int m = pixels();
        ChannelsLast.Layout out = new ChannelsLast.Layout(images, outChannels, outH, outW, outChannels, 0, 0, outH, outW);
        // Written whole by the kernels, as the workspace buffer they otherwise get.
        Tensor yCl = channelsLast ? Tensor.uninitialized(images, outH, outW, outChannels) : null;
        float[] yl = channelsLast ? yCl.data() : Workspace.get(Workspace.Slot.CONV_OUTPUT, out.size());
        if (winograd) {
            KernelProvider kernels = Kernels.provider();
            WinogradFilter filter = ConvWeightForms.winogradForward(kernels, w, outChannels, channels, cs);
            WinogradConvolution.convolve(kernels, xp, in, filter, yl);
        } else {
            ImplicitGemm.Packed b = ConvWeightForms.tapMajor(gemm, w, outChannels, channels, taps, cs);
            gemm.gather(m, outChannels, cs, xp, windowRows(), inputTaps(), b, 0, yl, consecutiveRows(m, outChannels));
        }
        if (channelsLast) {
            if (bias != null) {
                addBias(yl, m, bias);
            }
            return yCl;
        }
        Tensor y = Tensor.uninitialized(images, outChannels, outH, outW);
        ChannelsLast.toNchw(yl, out, y.data(), 0, bias == null ? null : bias.data(), bias == null ? 0 : bias.offset());
        return y;
    }

    /** {@code y[p·O + o] += bias[o]} over the {@code m} output pixels of a channels-last output, one float addition each. */
    private void addBias(float[] y, int m, Tensor bias) {
        float[] bd = bias.data();
        int bOff = bias.offset();
        Parallel.forRows(m, outChannels, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int at = p * outChannels;
                for (int o = 0; o < outChannels; o++) {
                    y[at + o] += bd[bOff + o];
                }
            }
        });
    }

    private static int[] consecutiveRows(int m, int stride) {
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = i * stride;
        }
        return rows;
    }

    /** The padding of the channels-last copy of {@code dY} that every phase's windows stay inside. */
    private int[] gradPadding() {
        int top = 0, bottom = 0, left = 0, right = 0;
        for (int r = 0; r < stride; r++) {
            int lastRow = (height - 1 - r) / stride;
            int lastCol = (width - 1 - r) / stride;
            for (int i = 0; i < Math.max(kh, kw); i++) {
                if ((r + padding - i) % stride != 0) {
                    continue;
                }
                int q = Math.floorDiv(r + padding - i, stride);
                if (i < kh && r < height) {
                    top = Math.max(top, -q);
                    bottom = Math.max(bottom, lastRow + q - (outH - 1));
                }
                if (i < kw && r < width) {
                    left = Math.max(left, -q);
                    right = Math.max(right, lastCol + q - (outW - 1));
                }
            }
        }
        return new int[] {top, bottom, left, right};
    }

    /**
     * {@code {dX, dW}} from {@code dY [N, O, Ho, Wo]}, whichever are wanted: {@code dX [N, C, H, W]} and
     * {@code dW [O, C, kh, kw]} ({@code dY [N, Ho, Wo, O]} and {@code dX [N, H, W, C]} when {@link #channelsLast}).
     */
    Tensor[] backward(Tensor x, Tensor w, Tensor gy, boolean needX, boolean needW) {
        ImplicitGemm gemm = Kernels.provider().implicitGemm();
        int[] pad = gradPadding();
        ChannelsLast.Layout g = new ChannelsLast.Layout(images, outChannels, outH, outW, outChannels, pad[0], pad[2],
                outH + pad[0] + pad[1], outW + pad[2] + pad[3]);
        float[] gp;
        if (channelsLast && isUnpadded(g) && gy.offset() == 0) {
            gp = gy.data(); // already the layout the products read; they only read it
        } else {
            gp = Workspace.get(Workspace.Slot.CONV_OUTPUT_GRAD, g.size());
            if (channelsLast) {
                ChannelsLast.pad(gy.data(), gy.offset(), g, gp);
            } else {
                ChannelsLast.fromNchw(gy.data(), gy.offset(), g, gp);
            }
        }
        if (needW && needX && !winogradWeights) {
            return inputAndDirectWeightGrads(gemm, x, w, gp, g);
        }
        Tensor dw = needW ? weightGrad(gemm, paddedInput(x), gp, g) : null;
        Tensor dx = needX ? inputGrad(gemm, w, gp, g) : null;
        return new Tensor[] {dx, dw};
    }

    /**
     * {@code {dX, dW}} with the weight gradient direct, both products in one job of the pool: the weight
     * gradient's few long tasks first, then the input gradient's many short ones, which fill the time a
     * thread would otherwise wait for the other's last long task (the host may stall either thread for a
     * while). Each product's tasks write their own outputs, so it is the same bits as computing one after
     * the other.
     */
    private Tensor[] inputAndDirectWeightGrads(ImplicitGemm gemm, Tensor x, Tensor w, float[] gp, ChannelsLast.Layout g) {
        float[] dwl = weightGradBuffer();
        TaskList dwTasks = directWeightGradTasks(gemm, paddedInput(x), gp, g, dwl);
        InputGrad dx = inputGradTasks(gemm, w, gp, g);
        TaskList[] all = new TaskList[1 + dx.tasks().length];
        all[0] = dwTasks;
        System.arraycopy(dx.tasks(), 0, all, 1, dx.tasks().length);
        Parallel.forEach(all);
        return new Tensor[] {result(dx), weightGradFromTapMajor(dwl)};
    }

    /** This thread's buffer for the weight gradient in the implicit GEMM's tap-major layout. */
    private float[] weightGradBuffer() {
        return Workspace.get(Workspace.Slot.CONV_WEIGHT_GRAD, kh * kw * in.cs() * outChannels);
    }

    /** The tasks of the direct weight gradient's product into {@code dwl} (tap-major). */
    private TaskList directWeightGradTasks(ImplicitGemm gemm, float[] xp, float[] gp, ChannelsLast.Layout g, float[] dwl) {
        int m = pixels();
        int[] gRows = new int[m];
        Parallel.forEach(images, n -> {
            int i = n * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    gRows[i++] = g.pixel(n, oy + g.top(), ox + g.left());
                }
            }
        });
        return gemm.gatherTransposedTasks(m, outChannels, in.cs(), xp, windowRows(), inputTaps(), gp, gRows, dwl);
    }

    /** {@code dW [O, C, kh, kw]} from the tap-major product. */
    private Tensor weightGradFromTapMajor(float[] dwl) {
        Tensor dw = Tensor.uninitialized(outChannels, channels, kh, kw); // a permutation of every element
        ConvWeights.fromTapMajor(dwl, outChannels, channels, kh * kw, in.cs(), dw.data());
        return dw;
    }

    /** The unpadded channels-last layout of the input gradient. */
    private ChannelsLast.Layout inputGradLayout() {
        return new ChannelsLast.Layout(images, channels, height, width, channels, 0, 0, height, width);
    }

    /** {@code dX [N, C, H, W]} from its channels-last form. */
    private Tensor toNchwInputGrad(float[] dxl, ChannelsLast.Layout out) {
        Tensor dx = Tensor.uninitialized(images, channels, height, width); // a permutation of every element
        ChannelsLast.toNchw(dxl, out, dx.data(), 0, null, 0);
        return dx;
    }

    private Tensor weightGrad(ImplicitGemm gemm, float[] xp, float[] gp, ChannelsLast.Layout g) {
        float[] dwl = weightGradBuffer();
        if (winogradWeights) {
            WinogradConvolution.weightGradient(Kernels.provider(), xp, in, in.cs(), gp, g, outChannels, dwl);
        } else {
            Parallel.forEach(directWeightGradTasks(gemm, xp, gp, g, dwl));
        }
        return weightGradFromTapMajor(dwl);
    }

    private Tensor inputGrad(ImplicitGemm gemm, Tensor w, float[] gp, ChannelsLast.Layout g) {
        InputGrad dx = inputGradTasks(gemm, w, gp, g);
        Parallel.forEach(dx.tasks());
        return result(dx);
    }

    /**
     * The input gradient's products, not run yet, and where they write: {@code dxl}, channels-last in layout
     * {@code out}, which is {@code dxCl}'s data when {@link #channelsLast}.
     */
    private record InputGrad(Tensor dxCl, float[] dxl, ChannelsLast.Layout out, TaskList[] tasks) {}

    /** {@code dX} once the tasks of {@code dx} have run. */
    private Tensor result(InputGrad dx) {
        return dx.dxCl() != null ? dx.dxCl() : toNchwInputGrad(dx.dxl(), dx.out());
    }

    /**
     * The input gradient's tasks: a stride-1 "same" convolution by Winograd, or else one direct product per
     * phase (the output pixels whose row and column have given remainders modulo the stride), whose rows are
     * disjoint, so all phases can run in one job.
     */
    private InputGrad inputGradTasks(ImplicitGemm gemm, Tensor w, float[] gp, ChannelsLast.Layout g) {
        ChannelsLast.Layout out = inputGradLayout();
        // Written whole by the products (the phases' rows cover every pixel), as the workspace buffer they otherwise get.
        Tensor dxCl = channelsLast ? Tensor.uninitialized(images, height, width, channels) : null;
        float[] dxl = channelsLast ? dxCl.data() : Workspace.get(Workspace.Slot.CONV_INPUT_GRAD, out.size());
        int taps = kh * kw;
        if (winograd) {
            // A stride-1 "same" convolution of dY with the filter turned by 180 degrees, channels swapped.
            KernelProvider kernels = Kernels.provider();
            WinogradFilter rotated = ConvWeightForms.winogradInputGrad(kernels, w, outChannels, channels);
            return new InputGrad(dxCl, dxl, out, new TaskList[] {WinogradConvolution.convolveTasks(kernels, gp, g, rotated, dxl)});
        }
        java.util.List<TaskList> phases = new java.util.ArrayList<>();
        for (int ry = 0; ry < Math.min(stride, height); ry++) {
            for (int rx = 0; rx < Math.min(stride, width); rx++) {
                // The taps that reach this phase, and where each reads dY relative to the pixel's own row.
                int[] tapIndex = new int[taps];
                int[] tapOffset = new int[taps];
                int count = 0;
                for (int i = 0; i < kh; i++) {
                    if ((ry + padding - i) % stride != 0) {
                        continue;
                    }
                    int qy = Math.floorDiv(ry + padding - i, stride);
                    for (int j = 0; j < kw; j++) {
                        if ((rx + padding - j) % stride != 0) {
                            continue;
                        }
                        int qx = Math.floorDiv(rx + padding - j, stride);
                        tapIndex[count] = i * kw + j;
                        tapOffset[count] = (qy * g.wq() + qx) * outChannels;
                        count++;
                    }
                }
                int[] tapOffsets = java.util.Arrays.copyOf(tapOffset, count);
                ImplicitGemm.Packed b = ConvWeightForms.outputMajor(gemm, w, outChannels, channels, taps,
                        java.util.Arrays.copyOf(tapIndex, count));
                int rowsPerImage = (height - ry + stride - 1) / stride;
                int colsPerImage = (width - rx + stride - 1) / stride;
                int m = images * rowsPerImage * colsPerImage;
                int[] aRows = new int[m];
                int[] oRows = new int[m];
                int fy = ry, fx = rx;
                Parallel.forEach(images, n -> {
                    int k = n * rowsPerImage * colsPerImage;
                    for (int u = 0; u < rowsPerImage; u++) {
                        for (int v = 0; v < colsPerImage; v++) {
                            aRows[k] = g.pixel(n, u + g.top(), v + g.left());
                            oRows[k] = out.pixel(n, fy + stride * u, fx + stride * v);
                            k++;
                        }
                    }
                });
                phases.add(gemm.gatherTasks(m, channels, outChannels, gp, aRows, tapOffsets, b, 0, dxl, oRows));
            }
        }
        return new InputGrad(dxCl, dxl, out, phases.toArray(new TaskList[0]));
    }
}
