package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fused Winograd F(2x2, 3x3): the SIMD transforms against the scalar reference bit for bit (channel
 * counts that leave vector remainders), the whole convolution against a float64 direct convolution
 * within the Winograd accuracy contract (1e-4 of the largest output) with several column chunks, and its
 * weight gradient against a float64 one with several tile groups; the same bits from both providers and
 * on 1 and 2 threads, exact zeros kept where every product is zero (ReLU-sparse inputs), and bad input named.
 */
class WinogradConvolutionTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    @ParameterizedTest(name = "channels={0}")
    @CsvSource({"1", "7", "16", "35", "64"})
    void vectorTransformsMatchScalarBitForBit(int channels) {
        WinogradTransforms vector = FastKernels.vectorProvider().winogradTransforms();
        WinogradTransforms scalar = new ScalarKernels().winogradTransforms();
        SplittableRandom r = new SplittableRandom(channels);
        int pixelStride = channels + 3;
        int rowStride = 9 * pixelStride + 5;
        float[] src = random(r, 8 * rowStride);
        int[] origins = {0, 2 * pixelStride, rowStride + pixelStride, 4 * rowStride + 3 * pixelStride, 2};
        int tiles = origins.length;
        int tileStride = channels + 1;
        int positionStride = tiles * tileStride + 2;
        int size = 16 * positionStride;
        float[] vs = new float[size];
        float[] ss = new float[size];
        vector.input(src, origins, 1, tiles, pixelStride, rowStride, channels, vs, tileStride, positionStride);
        scalar.input(src, origins, 1, tiles, pixelStride, rowStride, channels, ss, tileStride, positionStride);
        assertArrayEquals(ss, vs, "input transform");

        float[] m = random(r, size);
        float[] vo = new float[8 * rowStride];
        float[] so = new float[8 * rowStride];
        vector.output(m, tileStride, positionStride, origins, 1, tiles, pixelStride, rowStride, channels, vo);
        scalar.output(m, tileStride, positionStride, origins, 1, tiles, pixelStride, rowStride, channels, so);
        assertArrayEquals(so, vo, "output transform");

        float[] vz = new float[size];
        float[] sz = new float[size];
        vector.gradient(src, origins, 1, tiles, pixelStride, rowStride, channels, vz, tileStride, positionStride);
        scalar.gradient(src, origins, 1, tiles, pixelStride, rowStride, channels, sz, tileStride, positionStride);
        assertArrayEquals(sz, vz, "output-gradient transform");

        int out = channels + 2;
        float[] taps = random(r, 9 * channels * out);
        float[] vu = new float[16 * channels * out];
        float[] su = new float[16 * channels * out];
        vector.filter(taps, channels, out, vu);
        scalar.filter(taps, channels, out, su);
        assertArrayEquals(su, vu, "filter transform");
    }

    /** A zero-bordered channels-last image with {@code k} random channels, pixel stride {@code cs}. */
    private static float[] paddedImage(SplittableRandom r, ChannelsLast.Layout l, int k) {
        float[] x = new float[l.size()];
        for (int n = 0; n < l.n(); n++) {
            for (int y = 0; y < l.h(); y++) {
                for (int xx = 0; xx < l.w(); xx++) {
                    int p = l.pixel(n, y + l.top(), xx + l.left());
                    for (int c = 0; c < k; c++) {
                        x[p + c] = (float) r.nextDouble(-1, 1);
                    }
                }
            }
        }
        return x;
    }

    /** The definition in float64: out[n, y, x, o] = Σ_(i,j,c) x(n, y + i - 1, x + j - 1, c) · taps[i·3 + j][c][o]. */
    private static double[] direct(float[] xp, ChannelsLast.Layout l, int k, float[] taps, int outChannels) {
        double[] out = new double[l.n() * l.h() * l.w() * outChannels];
        for (int n = 0; n < l.n(); n++) {
            for (int y = 0; y < l.h(); y++) {
                for (int x = 0; x < l.w(); x++) {
                    int o0 = ((n * l.h() + y) * l.w() + x) * outChannels;
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int p = l.pixel(n, y + l.top() - 1 + i, x + l.left() - 1 + j);
                            for (int c = 0; c < k; c++) {
                                double v = xp[p + c];
                                int t = ((i * 3 + j) * k + c) * outChannels;
                                for (int o = 0; o < outChannels; o++) {
                                    out[o0 + o] += v * taps[t + o];
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} images {1}x{2}, {3} -> {4} channels")
    @CsvSource({
        "1, 2, 2, 1, 1",        // one tile
        "2, 6, 8, 5, 7",        // odd channel counts, no wide column blocks
        "5, 32, 32, 8, 8",      // two tile groups
        "1, 4, 4, 256, 128",    // two column chunks of 64
        "2, 4, 6, 19, 64",      // wide tiles with a channel remainder
    })
    void matchesFloat64DirectConvolution(int images, int h, int w, int k, int outChannels) {
        SplittableRandom r = new SplittableRandom(images * 1000L + h * 100L + k * 10L + outChannels);
        int cs = k + 1;
        ChannelsLast.Layout l = new ChannelsLast.Layout(images, k, h, w, cs, 1, 2, h + 3, w + 3);
        float[] xp = paddedImage(r, l, k);
        float[] taps = random(r, 9 * k * outChannels);
        double[] ref = direct(xp, l, k, taps, outChannels);
        float[] scalarOut = new float[ref.length];
        WinogradConvolution.convolve(new ScalarKernels(), xp, l, k, taps, outChannels, scalarOut);
        double maxRef = 0;
        double maxErr = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxErr = Math.max(maxErr, Math.abs(ref[i] - scalarOut[i]));
        }
        assertTrue(maxErr <= 1e-4 * maxRef, "max |error| " + maxErr + " of max |y| " + maxRef);
        if (Kernels.vectorModuleReadable()) {
            float[] vectorOut = new float[ref.length];
            WinogradConvolution.convolve(FastKernels.vectorProvider(), xp, l, k, taps, outChannels, vectorOut);
            assertArrayEquals(scalarOut, vectorOut, "the providers agree bit for bit");
        }
    }

    /** The definition in float64: dw[i·3 + j][c][o] = Σ_(n,y,x) x(n, y + i - 1, x + j - 1, c) · dy[n, y, x, o]. */
    private static double[] directWeightGradient(float[] xp, ChannelsLast.Layout l, int k, float[] dy, int outChannels) {
        double[] dw = new double[9 * k * outChannels];
        for (int n = 0; n < l.n(); n++) {
            for (int y = 0; y < l.h(); y++) {
                for (int x = 0; x < l.w(); x++) {
                    int g0 = ((n * l.h() + y) * l.w() + x) * outChannels;
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int p = l.pixel(n, y + l.top() - 1 + i, x + l.left() - 1 + j);
                            for (int c = 0; c < k; c++) {
                                double v = xp[p + c];
                                int t = ((i * 3 + j) * k + c) * outChannels;
                                for (int o = 0; o < outChannels; o++) {
                                    dw[t + o] += v * dy[g0 + o];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dw;
    }

    @ParameterizedTest(name = "{0} images {1}x{2}, {3} -> {4} channels")
    @CsvSource({
        "1, 2, 2, 1, 1",        // one tile
        "2, 6, 8, 5, 7",        // odd channel counts, no wide column blocks
        "5, 32, 32, 8, 8",      // two tile groups
        "4, 64, 64, 8, 128",    // three tile groups of unequal size
        "1, 4, 4, 256, 128",    // wide products, one group per tile
        "2, 4, 6, 19, 64",      // a channel remainder
    })
    void weightGradientMatchesFloat64(int images, int h, int w, int k, int outChannels) {
        SplittableRandom r = new SplittableRandom(images * 999L + h * 101L + k * 11L + outChannels);
        int cs = k + 1;
        ChannelsLast.Layout l = new ChannelsLast.Layout(images, k, h, w, cs, 1, 2, h + 3, w + 3);
        float[] xp = paddedImage(r, l, k);
        // The output gradient unpadded, channels-last, with a pixel stride wider than its channels.
        ChannelsLast.Layout g = new ChannelsLast.Layout(images, outChannels, h, w, outChannels + 3, 0, 0, h, w);
        float[] gp = paddedImage(r, g, outChannels);
        float[] dense = new float[images * h * w * outChannels];
        for (int n = 0; n < images; n++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(gp, g.pixel(n, y, x), dense, ((n * h + y) * w + x) * outChannels, outChannels);
                }
            }
        }
        double[] ref = directWeightGradient(xp, l, k, dense, outChannels);
        float[] scalarDw = new float[ref.length];
        WinogradConvolution.weightGradient(new ScalarKernels(), xp, l, k, gp, g, outChannels, scalarDw);
        double maxRef = 0;
        double maxErr = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxErr = Math.max(maxErr, Math.abs(ref[i] - scalarDw[i]));
        }
        assertTrue(maxErr <= 1e-4 * maxRef, "max |error| " + maxErr + " of max |dw| " + maxRef);
        if (Kernels.vectorModuleReadable()) {
            float[] vectorDw = new float[ref.length];
            WinogradConvolution.weightGradient(FastKernels.vectorProvider(), xp, l, k, gp, g, outChannels, vectorDw);
            assertArrayEquals(scalarDw, vectorDw, "the providers agree bit for bit");
        }
    }

    /**
     * A zero-bordered channels-last image whose channels are as sparse as a deep ReLU network's: channel
     * {@code c} is all zero if {@code c % 5 == 1}, nonzero only on the first row if {@code c % 5 == 2}, only on
     * the last column if {@code c % 5 == 3}, else nonzero with probability {@code density}.
     */
    private static float[] sparseImage(SplittableRandom r, ChannelsLast.Layout l, int k, double density) {
        float[] x = new float[l.size()];
        for (int n = 0; n < l.n(); n++) {
            for (int y = 0; y < l.h(); y++) {
                for (int xx = 0; xx < l.w(); xx++) {
                    int p = l.pixel(n, y + l.top(), xx + l.left());
                    for (int c = 0; c < k; c++) {
                        boolean on = switch (c % 5) {
                            case 1 -> false;
                            case 2 -> y == 0;
                            case 3 -> xx == l.w() - 1;
                            default -> r.nextDouble() < density;
                        };
                        x[p + c] = on ? (float) r.nextDouble(-1, 1) : 0f;
                    }
                }
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0} images {1}x{2}, {3} -> {4} channels")
    @CsvSource({
        "1, 2, 2, 5, 7",        // batch 1, one tile
        "2, 6, 8, 5, 7",        // odd channel counts
        "3, 4, 6, 19, 64",      // a channel remainder
        "1, 4, 4, 256, 128",    // wide products
    })
    void weightGradientKeepsExactZeros(int images, int h, int w, int k, int outChannels) {
        SplittableRandom r = new SplittableRandom(images * 313L + h * 37L + k * 7L + outChannels);
        ChannelsLast.Layout l = new ChannelsLast.Layout(images, k, h, w, k, 1, 1, h + 2, w + 2);
        float[] xp = sparseImage(r, l, k, 0.3);
        ChannelsLast.Layout g = new ChannelsLast.Layout(images, outChannels, h, w, outChannels, 1, 1, h + 2, w + 2);
        float[] gp = sparseImage(r, g, outChannels, 0.2);
        float[] dense = new float[images * h * w * outChannels];
        for (int n = 0; n < images; n++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(gp, g.pixel(n, y + 1, x + 1), dense, ((n * h + y) * w + x) * outChannels, outChannels);
                }
            }
        }
        // Random nonzero values never cancel exactly in float64: a zero here is a sum of exact zeros.
        double[] ref = directWeightGradient(xp, l, k, dense, outChannels);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = new float[ref.length];
            WinogradConvolution.weightGradient(Kernels.provider(), xp, l, k, gp, g, outChannels, one);
            Parallel.setThreads(2);
            float[] two = new float[ref.length];
            WinogradConvolution.weightGradient(Kernels.provider(), xp, l, k, gp, g, outChannels, two);
            assertArrayEquals(one, two, "1 and 2 threads give the same bits");
            float[] scalar = new float[ref.length];
            WinogradConvolution.weightGradient(new ScalarKernels(), xp, l, k, gp, g, outChannels, scalar);
            assertArrayEquals(scalar, two, "the providers agree bit for bit");

            double maxRef = 0;
            for (double v : ref) {
                maxRef = Math.max(maxRef, Math.abs(v));
            }
            int zeros = 0;
            for (int i = 0; i < ref.length; i++) {
                if (ref[i] == 0) {
                    zeros++;
                    assertEquals(0, Float.floatToRawIntBits(one[i]), "dw[" + i + "] is a sum of exact zeros, got " + one[i]);
                } else {
                    assertTrue(Math.abs(ref[i] - one[i]) <= 1e-4 * maxRef, "dw[" + i + "] = " + one[i] + ", float64 " + ref[i]);
                }
            }
            assertTrue(zeros >= ref.length / 4, "the inputs must make many exact zeros, got " + zeros + " of " + ref.length);
            assertTrue(zeros < ref.length, "and some nonzero gradients");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        SplittableRandom r = new SplittableRandom(5);
        int k = 256;
        int outChannels = 128;
        ChannelsLast.Layout l = new ChannelsLast.Layout(3, k, 8, 8, k, 1, 1, 10, 10);
        float[] xp = paddedImage(r, l, k);
        float[] taps = random(r, 9 * k * outChannels);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = new float[3 * 8 * 8 * outChannels];
            WinogradConvolution.convolve(Kernels.provider(), xp, l, k, taps, outChannels, one);
            Parallel.setThreads(2);
            float[] two = new float[one.length];
            WinogradConvolution.convolve(Kernels.provider(), xp, l, k, taps, outChannels, two);
            assertArrayEquals(one, two, "convolution");
            ChannelsLast.Layout g = new ChannelsLast.Layout(3, outChannels, 8, 8, outChannels, 1, 1, 10, 10);
            float[] gp = paddedImage(r, g, outChannels);
            float[] dwOne = new float[9 * k * outChannels];
            float[] dwTwo = new float[dwOne.length];
            Parallel.setThreads(1);
            WinogradConvolution.weightGradient(Kernels.provider(), xp, l, k, gp, g, outChannels, dwOne);
            Parallel.setThreads(2);
            WinogradConvolution.weightGradient(Kernels.provider(), xp, l, k, gp, g, outChannels, dwTwo);
            assertArrayEquals(dwOne, dwTwo, "weight gradient");
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * A filter prepared once serves successive convolutions with the same bits as passing the taps each
     * time, on either provider, with several column chunks (64 -> 512: two chunks of 256); it is refused
     * by another provider's implicit GEMM, whose panels it does not hold.
     */
    @Test
    void aPreparedFilterGivesTheSameBitsAsTheTaps() {
        SplittableRandom r = new SplittableRandom(11);
        int k = 64;
        int outChannels = 512;
        ChannelsLast.Layout l = new ChannelsLast.Layout(2, k, 4, 6, k + 4, 1, 1, 6, 8);
        float[] taps = random(r, 9 * k * outChannels);
        float[][] inputs = {paddedImage(r, l, k), paddedImage(r, l, k)};
        KernelProvider[] providers = Kernels.vectorModuleReadable()
                ? new KernelProvider[] {new ScalarKernels(), FastKernels.vectorProvider()}
                : new KernelProvider[] {new ScalarKernels()};
        for (KernelProvider p : providers) {
            WinogradFilter filter = WinogradFilter.prepare(p, taps, k, outChannels);
            assertEquals(2, filter.chunks.length, "column chunks");
            assertEquals(k, filter.inChannels());
            assertEquals(outChannels, filter.outChannels());
            for (float[] xp : inputs) {
                float[] expected = new float[2 * 4 * 6 * outChannels];
                WinogradConvolution.convolve(p, xp, l, k, taps, outChannels, expected);
                float[] actual = new float[expected.length];
                WinogradConvolution.convolve(p, xp, l, filter, actual);
                assertArrayEquals(expected, actual, p.name());
            }
            KernelProvider other = new ScalarKernels();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WinogradConvolution.convolve(other, inputs[0], l, filter, new float[2 * 4 * 6 * outChannels]));
            assertTrue(e.getMessage().contains("prepared for another implicit GEMM"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WinogradFilter.prepare(new ScalarKernels(), new float[9 * 4 * 4 - 1], 4, 4));
        assertTrue(e.getMessage().contains("filter has 143 floats"), e.getMessage());
    }

    @Test
    void chunksAndGroupsDependOnlyOnSizes() {
        assertEquals(64, WinogradConvolution.chunkColumns(512, 512));
        assertEquals(128, WinogradConvolution.chunkColumns(128, 128));
        assertEquals(100, WinogradConvolution.chunkColumns(512, 100), "no wide blocks: one chunk");
        int tiles = WinogradConvolution.tilesPerTask(64, 64);
        assertEquals(0, tiles % 5);
        assertTrue(tiles >= 5);
        assertEquals(5, WinogradConvolution.tilesPerTask(1 << 20, 64), "at least one SIMD row tile");
        assertEquals(2, WinogradConvolution.gradientGroups(1280, 8, 8), "two groups, so two threads have work");
        assertEquals(3, WinogradConvolution.gradientGroups(4096, 8, 128));
        assertEquals(8, WinogradConvolution.gradientGroups(64 * 256, 64, 64), "ResNet18 64 -> 64 at batch 64");
        assertEquals(2, WinogradConvolution.gradientGroups(64 * 4, 512, 512), "ResNet18 512 -> 512 at batch 64");
        assertEquals(1, WinogradConvolution.gradientGroups(1, 5, 7), "never more groups than tiles");
    }

    @Test
    void badInputIsNamed() {
        KernelProvider p = new ScalarKernels();
        ChannelsLast.Layout odd = new ChannelsLast.Layout(1, 4, 3, 4, 4, 1, 1, 5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WinogradConvolution.convolve(p, new float[odd.size()], odd, 4, new float[9 * 16], 4, new float[48]));
        assertTrue(e.getMessage().contains("even height and width"), e.getMessage());

        ChannelsLast.Layout thin = new ChannelsLast.Layout(1, 4, 4, 4, 4, 0, 1, 5, 6);
        e = assertThrows(IllegalArgumentException.class,
                () -> WinogradConvolution.convolve(p, new float[thin.size()], thin, 4, new float[9 * 16], 4, new float[64]));
        assertTrue(e.getMessage().contains("zero border"), e.getMessage());

        ChannelsLast.Layout l = new ChannelsLast.Layout(1, 4, 4, 4, 4, 1, 1, 6, 6);
        e = assertThrows(IllegalArgumentException.class,
                () -> WinogradConvolution.convolve(p, new float[l.size()], l, 4, new float[9 * 16 - 1], 4, new float[64]));
        assertTrue(e.getMessage().contains("filter has 143 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WinogradConvolution.convolve(p, new float[l.size()], l, 4, new float[9 * 16], 4, new float[63]));
        assertTrue(e.getMessage().contains("output has 63 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WinogradConvolution.convolve(p, new float[l.size()], l, 5, new float[9 * 20], 4, new float[64]));
        assertTrue(e.getMessage().contains("5 channels read from pixels of 4 floats"), e.getMessage());
    }
}
