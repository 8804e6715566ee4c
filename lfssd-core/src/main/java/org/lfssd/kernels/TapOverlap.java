package org.lfssd.kernels;

import java.util.Arrays;

/**
 * Which weights of a stride-1 3x3 "same" convolution's weight gradient have at least one nonzero product:
 * {@code dw[(i·3 + j)·k + c][o] = Σ_(img,y,x) src(img, y + i - 1, x + j - 1, c) · dy(img, y, x, o)} is a sum
 * of exact zeros (and so exactly 0 when summed directly) unless some image has a pixel where both the
 * input channel {@code c}, shifted by the tap, and the output-gradient channel {@code o} are nonzero.
 *
 * <p>Winograd's weight gradient ({@link WinogradConvolution#weightGradient}) sums transformed tiles in
 * which every tap's products mix, so such a weight comes out as rounding noise (1e-16 .. 1e-13) instead of
 * 0; with ReLU-sparse activations and gradients in deep layers there are tens of thousands of them in a
 * ResNet18, and an importance rule {@code Ω_f > α·Ω_D} between two noise values selects weights that
 * matter to nothing. {@link #zeroDisjoint} puts the exact zeros back.
 *
 * <p>How: per image, one bit per pixel and channel says "nonzero" (NaN counts as nonzero), on a grid of
 * {@code (H + 2) x (W + 2)} bits per image whose border is the zero padding. The input bits shifted by a
 * tap's offset on that grid, AND the output-gradient bits, nonzero in any word means the tap overlaps.
 * The nine taps of a channel pair are tested together, word by word, and a pair leaves the search as soon
 * as all nine have been seen. Images are visited in rounds of 1, 1, 2, 4, ... (at most
 * 16), and a round's bits are made only for the pairs still searching, so dense
 * layers (every pair found in the first image) pay for the bits of one image, and sparse layers for as
 * many images as they need. Only which taps overlap is computed, so the result does not depend on the
 * thread count or the work split.
 */
public final class TapOverlap {
    private TapOverlap() {}

    /** The nine taps of a 3x3 kernel, all found. */
    static final int ALL_TAPS = (1 << 9) - 1;

    /** Images per round at most: bounds the round's bit arrays ((k + n) channels x images x words per image). */
    private static final int MAX_ROUND_IMAGES = 16;

    /** Channel pairs per task of the overlap search. */
    private static final int PAIRS_PER_TASK = 4096;

    /**
     * Sets {@code dw[(t·k + c)·n + o] = 0} (positive zero) for every tap {@code t = 3i + j}, input channel
     * {@code c < k} and output channel {@code o < n} whose products are all zero: no image has a pixel
     * {@code (y, x)} with {@code src(img, y + i - 1, x + j - 1, c) != 0} and {@code dy(img, y, x, o) != 0}
     * (pixels outside the image count as zero). Other elements are left as they are.
     *
     * @param src the input, channels-last in layout {@code in} (its border, if any, is not read)
     * @param in  the input's layout
     * @param k   the input channels, {@code <= in.cs()}
     * @param dy  the output gradient, channels-last in layout {@code g}, same image count and size as the input
     * @param g   the output gradient's layout
     * @param n   the output channels, {@code <= g.cs()}
     * @param dw  the weight gradient, tap-major {@code [9][k][n]}
     * @throws IllegalArgumentException if the sizes do not match or an array is too short
     */
    public static void zeroDisjoint(float[] src, ChannelsLast.Layout in, int k, float[] dy, ChannelsLast.Layout g, int n,
                                    float[] dw) {
        if ((long) 9 * k * n > dw.length) {
            throw new IllegalArgumentException("tap overlap: the weight gradient has " + dw.length + " floats, needs 9*k*n = "
                    + (long) 9 * k * n);
        }
        short[] found = overlaps(src, in, k, dy, g, n);
        int plane = k * n;
        Parallel.forRows(k, 9L * n, (c0, c1) -> {
            for (int pair = c0 * n; pair < c1 * n; pair++) {
                int f = found[pair];
                if (f == ALL_TAPS) {
                    continue;
                }
                for (int t = 0; t < 9; t++) {
                    if ((f & (1 << t)) == 0) {
                        dw[t * plane + pair] = 0f;
                    }
                }
            }
        });
    }

    /**
     * For every channel pair {@code (c, o)}, at index {@code c·n + o}, the taps that overlap: bit
     * {@code 3i + j} is set iff some image has a pixel {@code (y, x)} with {@code src(img, y + i - 1, x + j - 1, c)}
     * and {@code dy(img, y, x, o)} both nonzero (pixels outside the image count as zero).
     *
     * @param src the input, channels-last in layout {@code in}
     * @param in  the input's layout
     * @param k   the input channels, {@code <= in.cs()}
     * @param dy  the output gradient, channels-last in layout {@code g}
     * @param g   the output gradient's layout
     * @param n   the output channels, {@code <= g.cs()}
     * @return the overlapping taps per pair, {@code k·n} masks of nine bits
     * @throws IllegalArgumentException if the sizes do not match or an array is too short
     */
    static short[] overlaps(float[] src, ChannelsLast.Layout in, int k, float[] dy, ChannelsLast.Layout g, int n) {
        check(src, in, k, dy, g, n);
        Grid grid = new Grid(in.h(), in.w());
        int images = in.n();
        short[] found = new short[k * n];
        if (k == 0 || n == 0 || images == 0) {
            return found;
        }
        int[] pending = new int[k * n];
        for (int p = 0; p < pending.length; p++) {
            pending[p] = p;
        }
        int pendingCount = pending.length;
        int roundCapacity = Math.min(images, MAX_ROUND_IMAGES);
        long[] inBits = new long[k * roundCapacity * grid.stride];
        long[] dyBits = new long[n * roundCapacity * grid.stride];
        boolean[] inAny = new boolean[k];
        boolean[] dyAny = new boolean[n];
        boolean[] inWanted = new boolean[k];
        boolean[] dyWanted = new boolean[n];
        int first = 0;
        int roundImages = 1;
        while (pendingCount > 0 && first < images) {
            int count = Math.min(roundImages, images - first);
            int roundWords = count * grid.stride;
            // Bits only for the channels some searching pair still needs.
            Arrays.fill(inWanted, false);
            Arrays.fill(dyWanted, false);
            // The pending pairs ascend, so their input channel only grows: no division per pair.
            for (int q = 0, c = 0; q < pendingCount; q++) {
                int pair = pending[q];
                while (pair >= (c + 1) * n) {
                    c++;
                }
                inWanted[c] = true;
                dyWanted[pair - c * n] = true;
            }
            int img0 = first;
            Parallel.forEach(count, m -> {
                grid.bits(src, in, img0 + m, k, inWanted, inBits, roundWords, m * grid.stride);
                grid.bits(dy, g, img0 + m, n, dyWanted, dyBits, roundWords, m * grid.stride);
            });
            anyNonzero(inBits, k, roundWords, inWanted, inAny);
            anyNonzero(dyBits, n, roundWords, dyWanted, dyAny);
            int[] live = pending;
            int liveCount = pendingCount;
            Parallel.forRange(liveCount, PAIRS_PER_TASK, (q0, q1) -> {
                // The pending pairs ascend, so a task meets each input channel in one run.
                long[] shifted = new long[count * grid.words * 9];
                int shiftedChannel = -1;
                int c = live[q0] / n;
                for (int q = q0; q < q1; q++) {
                    int pair = live[q];
                    while (pair >= (c + 1) * n) {
                        c++;
                    }
                    int o = pair - c * n;
                    if (!inAny[c] || !dyAny[o]) {
                        continue;
                    }
                    if (c != shiftedChannel) {
                        grid.shiftedWords(inBits, c * roundWords, count, shifted);
                        shiftedChannel = c;
                    }
                    found[pair] = (short) grid.search(shifted, dyBits, o * roundWords, count, found[pair]);
                }
            });
            int kept = 0;
            for (int q = 0; q < liveCount; q++) {
                if (found[live[q]] != ALL_TAPS) {
                    pending[kept++] = live[q];
                }
            }
            pendingCount = kept;
            first += count;
            roundImages = Math.min(MAX_ROUND_IMAGES, first);
        }
        return found;
    }

    /** {@code any[c]}: whether channel {@code c}'s bits of the round have a nonzero word (false where not wanted). */
    private static void anyNonzero(long[] bits, int channels, int roundWords, boolean[] wanted, boolean[] any) {
        for (int c = 0; c < channels; c++) {
            boolean nz = false;
            if (wanted[c]) {
                int b = c * roundWords;
                for (int w = 0; w < roundWords && !nz; w++) {
                    nz = bits[b + w] != 0;
                }
            }
            any[c] = nz;
        }
    }

    private static void check(float[] src, ChannelsLast.Layout in, int k, float[] dy, ChannelsLast.Layout g, int n) {
        if (g.n() != in.n() || g.h() != in.h() || g.w() != in.w()) {
            throw new IllegalArgumentException("tap overlap: the output gradient is " + g.n() + " images of " + g.h() + "x"
                    + g.w() + ", the input " + in.n() + " of " + in.h() + "x" + in.w() + " (a stride-1 same convolution)");
        }
        if (k < 0 || k > in.cs() || n < 0 || n > g.cs()) {
            throw new IllegalArgumentException("tap overlap: " + k + " and " + n + " channels read from pixels of " + in.cs()
                    + " and " + g.cs() + " floats");
        }
        if (src.length < in.size() || dy.length < g.size()) {
            throw new IllegalArgumentException("tap overlap: the input has " + src.length + " floats (layout needs "
                    + in.size() + "), the output gradient " + dy.length + " (layout needs " + g.size() + ")");
        }
        if ((long) k * n > Integer.MAX_VALUE - 8
                || (long) Math.max(k, n) * Math.min(in.n(), MAX_ROUND_IMAGES) * new Grid(in.h(), in.w()).stride
                > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tap overlap: " + k + " x " + n + " channels on " + in.h() + "x" + in.w()
                    + " images are too large for Java arrays");
        }
    }

    /**
     * The bit grid of one image: {@code (H + 2) x (W + 2)} bits, row-major, pixel {@code (y, x)} at bit
     * {@code (y + 1)·(W + 2) + x + 1}, its border always zero, stored in {@link #words} words with
     * {@link #guard} zero words before and after, so that a tap's shift never reads another image's bits.
     */
    private static final class Grid {
        final int h;
        final int w;
        final int rowBits;
        final int words;
        final int guard;
        final int stride;
        /** Bit offset from an output pixel to the input pixel tap {@code t = 3i + j} reads: {@code (i - 1)·(W + 2) + j - 1}. */
        final int[] shift = new int[9];

        Grid(int h, int w) {
            this.h = h;
            this.w = w;
            this.rowBits = w + 2;
            long bits = (long) (h + 2) * rowBits;
            this.words = (int) ((bits + 63) / 64);
            this.guard = (rowBits + 1 + 63) / 64 + 1;
            this.stride = words + 2 * guard;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    shift[3 * i + j] = (i - 1) * rowBits + (j - 1);
                }
            }
        }

        /**
         * Writes the nonzero bits of image {@code img}'s wanted channels into {@code bits[c·roundWords + at ...]}
         * (one grid of {@link #stride} words per channel; unwanted channels are left as they are).
         */
        void bits(float[] data, ChannelsLast.Layout l, int img, int channels, boolean[] wanted, long[] bits, int roundWords,
                  int at) {
            for (int c = 0; c < channels; c++) {
                if (wanted[c]) {
                    Arrays.fill(bits, c * roundWords + at, c * roundWords + at + stride, 0L);
                }
            }
            long[] acc = new long[channels];
            int word = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int bit = (y + 1) * rowBits + x + 1;
                    if (bit >>> 6 != word) {
                        flush(acc, channels, wanted, bits, roundWords, at + guard + word);
                        word = bit >>> 6;
                    }
                    int p = l.pixel(img, y + l.top(), x + l.left());
                    int b = bit & 63;
                    for (int c = 0; c < channels; c++) {
                        // 1 iff the float is not ±0 (NaN counts): its bits without the sign are at least 1.
                        long magnitude = Float.floatToRawIntBits(data[p + c]) & 0x7fffffffL;
                        acc[c] |= ((magnitude + 0x7fffffffL) >>> 31) << b;
                    }
                }
            }
            flush(acc, channels, wanted, bits, roundWords, at + guard + word);
        }

        private static void flush(long[] acc, int channels, boolean[] wanted, long[] bits, int roundWords, int word) {
            if (word < 0) {
                return;
            }
            for (int c = 0; c < channels; c++) {
                if (wanted[c]) {
                    bits[c * roundWords + word] = acc[c];
                }
                acc[c] = 0;
            }
        }

        /**
         * For each of the round's {@code images} grids of input-channel bits at {@code in[inAt ...]}, each data
         * word {@code wd} and tap {@code t}: the input bits at positions {@code 64·wd + shift[t] .. + 63} of
         * that grid, into {@code out[(m·words + wd)·9 + t]}, so that a tap's test is one AND.
         */
        void shiftedWords(long[] in, int inAt, int images, long[] out) {
            for (int m = 0; m < images; m++) {
                int base = inAt + m * stride + guard;
                for (int wd = 0; wd < words; wd++) {
                    int o = (m * words + wd) * 9;
                    for (int t = 0; t < 9; t++) {
                        int q = (wd << 6) + shift[t];
                        int lo = base + (q >> 6);
                        int s = q & 63;
                        out[o + t] = (in[lo] >>> s) | ((in[lo + 1] << 1) << (63 - s));
                    }
                }
            }
        }

        /**
         * The taps found so far ({@code found}) plus those that overlap in the round's {@code images} grids of
         * shifted input bits ({@link #shiftedWords}) and output-gradient bits at {@code dy[dyAt ...]}; stops
         * as soon as all nine are found.
         */
        int search(long[] shifted, long[] dy, int dyAt, int images, int found) {
            int f = found;
            for (int m = 0; m < images; m++) {
                int base = dyAt + m * stride + guard;
                for (int wd = 0; wd < words; wd++) {
                    long d = dy[base + wd];
                    if (d == 0) {
                        continue;
                    }
                    int o = (m * words + wd) * 9;
                    for (int t = 0; t < 9; t++) {
                        long both = shifted[o + t] & d;
                        // 1 iff both != 0: the sign bit of both | -both.
                        f |= (int) ((both | -both) >>> 63) << t;
                    }
                    if (f == ALL_TAPS) {
                        return f;
                    }
                }
            }
            return f;
        }
    }
}
