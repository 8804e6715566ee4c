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
 * Which taps of a stride-1 3x3 weight gradient have a nonzero product: against a brute-force search over
 * every image, pixel, tap and channel pair, on odd and one-pixel sizes, batch 1, rows wider than a 64-bit
 * word, more images than one round holds, dense, sparse and dead-channel inputs, with garbage in the
 * layouts' borders and padding channels (which must not be read), -0.0 counting as zero and NaN as
 * nonzero; the same answer on 1 and 2 threads; and bad input named.
 */
class TapOverlapTest {

    /** Garbage everywhere (borders and padding channels included), then the image's channels: nonzero with probability {@code density}, dead channels all zero. */
    private static float[] sparseImage(SplittableRandom r, ChannelsLast.Layout l, int channels, double density,
                                       boolean[] dead) {
        float[] x = new float[l.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = 7f;
        }
        for (int n = 0; n < l.n(); n++) {
            for (int y = 0; y < l.h(); y++) {
                for (int xx = 0; xx < l.w(); xx++) {
                    int p = l.pixel(n, y + l.top(), xx + l.left());
                    for (int c = 0; c < channels; c++) {
                        float v = r.nextDouble() < density ? (float) r.nextDouble(-1, 1) : (r.nextBoolean() ? 0f : -0f);
                        x[p + c] = dead[c] ? 0f : v;
                    }
                }
            }
        }
        return x;
    }

    private static boolean[] dead(SplittableRandom r, int channels, double share) {
        boolean[] d = new boolean[channels];
        for (int c = 0; c < channels; c++) {
            d[c] = r.nextDouble() < share;
        }
        return d;
    }

    /** The definition: bit 3i + j of pair (c, o) iff some src(img, y + i - 1, x + j - 1, c) != 0 and dy(img, y, x, o) != 0. */
    private static short[] bruteForce(float[] src, ChannelsLast.Layout in, int k, float[] dy, ChannelsLast.Layout g, int n) {
        short[] found = new short[k * n];
        for (int img = 0; img < in.n(); img++) {
            for (int y = 0; y < in.h(); y++) {
                for (int x = 0; x < in.w(); x++) {
                    int gp = g.pixel(img, y + g.top(), x + g.left());
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int yy = y + i - 1;
                            int xx = x + j - 1;
                            if (yy < 0 || yy >= in.h() || xx < 0 || xx >= in.w()) {
                                continue;
                            }
                            int ip = in.pixel(img, yy + in.top(), xx + in.left());
                            for (int c = 0; c < k; c++) {
                                if (src[ip + c] == 0) {
                                    continue;
                                }
                                for (int o = 0; o < n; o++) {
                                    if (dy[gp + o] != 0) {
                                        found[c * n + o] |= (short) (1 << (i * 3 + j));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    @ParameterizedTest(name = "{0} images {1}x{2}, {3} -> {4} channels, density {5} / {6}, dead share {7}")
    @CsvSource({
        "1, 1, 1, 1, 1, 1.0, 1.0, 0",        // one pixel: only the centre tap can overlap
        "1, 5, 7, 3, 5, 1.0, 1.0, 0",        // batch 1, odd sizes, dense
        "1, 5, 7, 3, 5, 0.1, 0.1, 0",        // batch 1, sparse
        "3, 4, 4, 16, 8, 0.5, 0.5, 0.25",    // ReLU-like, dead channels
        "2, 3, 70, 5, 4, 0.05, 0.3, 0",      // rows wider than a word: shifts across words
        "37, 3, 5, 6, 7, 0.02, 0.05, 0",     // very sparse over more images than a round: many rounds
        "20, 2, 2, 9, 11, 0.0, 0.5, 0",      // an all-zero input: nothing overlaps
        "4, 9, 3, 8, 8, 1.0, 0.02, 0.5",     // dense input, sparse gradient, half the channels dead
    })
    void matchesBruteForce(int images, int h, int w, int k, int n, double inDensity, double dyDensity, double deadShare) {
        SplittableRandom r = new SplittableRandom(images * 7919L + h * 131L + w * 17L + k * 5L + n);
        ChannelsLast.Layout in = new ChannelsLast.Layout(images, k, h, w, k + 3, 2, 1, h + 3, w + 4);
        ChannelsLast.Layout g = new ChannelsLast.Layout(images, n, h, w, n + 1, 0, 1, h + 1, w + 1);
        float[] src = sparseImage(r, in, k, inDensity, dead(r, k, deadShare));
        float[] dy = sparseImage(r, g, n, dyDensity, dead(r, n, deadShare));
        short[] expected = bruteForce(src, in, k, dy, g, n);
        assertArrayEquals(expected, TapOverlap.overlaps(src, in, k, dy, g, n));

        float[] dw = new float[9 * k * n];
        java.util.Arrays.fill(dw, -3f);
        TapOverlap.zeroDisjoint(src, in, k, dy, g, n, dw);
        for (int t = 0; t < 9; t++) {
            for (int pair = 0; pair < k * n; pair++) {
                boolean overlaps = (expected[pair] & (1 << t)) != 0;
                float v = dw[t * k * n + pair];
                assertEquals(overlaps ? -3f : 0f, v, "tap " + t + " pair " + pair);
                assertTrue(overlaps || Float.floatToRawIntBits(v) == 0, "a positive zero");
            }
        }
    }

    @Test
    void nanCountsAsNonzeroAndNegativeZeroAsZero() {
        ChannelsLast.Layout l = new ChannelsLast.Layout(1, 2, 1, 2, 2, 0, 0, 1, 2);
        float[] src = {Float.NaN, -0f, -0f, 1f};       // pixel (0,0): c0 NaN, c1 -0; pixel (0,1): c0 -0, c1 1
        float[] dy = {1f, 0f, 0f, 2f};                  // pixel (0,0): o0; pixel (0,1): o1
        short[] f = TapOverlap.overlaps(src, l, 2, dy, l, 2);
        // (c0, o0): the NaN at (0,0) meets dy o0 at (0,0) through the centre tap 4.
        assertEquals(1 << 4, f[0]);
        // (c0, o1): the NaN at (0,0) meets dy o1 at (0,1) through tap (1, 0) = 3.
        assertEquals(1 << 3, f[1]);
        // (c1, o0): c1 is nonzero only at (0,1), dy o0 only at (0,0): tap (1, 2) = 5.
        assertEquals(1 << 5, f[2]);
        // (c1, o1): both at (0,1): the centre tap.
        assertEquals(1 << 4, f[3]);
    }

    @Test
    void sameAnswerOnOneAndTwoThreads() {
        SplittableRandom r = new SplittableRandom(11);
        ChannelsLast.Layout in = new ChannelsLast.Layout(24, 64, 4, 4, 64, 1, 1, 6, 6);
        ChannelsLast.Layout g = new ChannelsLast.Layout(24, 96, 4, 4, 96, 1, 1, 6, 6);
        float[] src = sparseImage(r, in, 64, 0.03, dead(r, 64, 0.1));
        float[] dy = sparseImage(r, g, 96, 0.1, dead(r, 96, 0.1));
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            short[] one = TapOverlap.overlaps(src, in, 64, dy, g, 96);
            Parallel.setThreads(2);
            short[] two = TapOverlap.overlaps(src, in, 64, dy, g, 96);
            assertArrayEquals(one, two);
            assertArrayEquals(bruteForce(src, in, 64, dy, g, 96), two);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void badInputIsNamed() {
        ChannelsLast.Layout in = new ChannelsLast.Layout(2, 4, 4, 4, 4, 1, 1, 6, 6);
        ChannelsLast.Layout other = new ChannelsLast.Layout(2, 4, 4, 6, 4, 1, 1, 6, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TapOverlap.zeroDisjoint(new float[in.size()], in, 4, new float[other.size()], other, 4, new float[144]));
        assertTrue(e.getMessage().contains("output gradient is 2 images of 4x6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TapOverlap.zeroDisjoint(new float[in.size()], in, 4, new float[in.size()], in, 4, new float[143]));
        assertTrue(e.getMessage().contains("weight gradient has 143 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TapOverlap.zeroDisjoint(new float[in.size() - 1], in, 4, new float[in.size()], in, 4, new float[144]));
        assertTrue(e.getMessage().contains("input has " + (in.size() - 1) + " floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TapOverlap.zeroDisjoint(new float[in.size()], in, 5, new float[in.size()], in, 4, new float[180]));
        assertTrue(e.getMessage().contains("5 and 4 channels read from pixels of 4 and 4 floats"), e.getMessage());
    }
}
