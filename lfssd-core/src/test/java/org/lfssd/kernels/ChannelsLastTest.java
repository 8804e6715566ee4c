package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The NCHW to padded channels-last copies, element by element, into buffers left dirty by earlier use. */
class ChannelsLastTest {

    @ParameterizedTest(name = "N={0} C={1} {2}x{3} cs={4} top={5} left={6} hq={7} wq={8}")
    @CsvSource({
        "2, 3, 4, 5, 3, 1, 1, 6, 7",    // same padding, channels as they are
        "1, 5, 3, 3, 8, 1, 2, 5, 6",    // channel stride rounded up, uneven border
        "3, 17, 2, 7, 17, 0, 0, 2, 7",  // no border; more channels than one copy block
        "1, 2, 1, 1, 4, 2, 0, 4, 2",    // border only above and below
    })
    void roundTripWithZeroBorderAndPaddingChannels(int n, int c, int h, int w, int cs, int top, int left, int hq, int wq) {
        ChannelsLast.Layout l = new ChannelsLast.Layout(n, c, h, w, cs, top, left, hq, wq);
        float[] src = new float[n * c * h * w];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        float[] buf = new float[l.size() + 3];
        Arrays.fill(buf, Float.NaN); // a reused buffer holds anything
        ChannelsLast.fromNchw(src, 0, l, buf);
        for (int img = 0; img < n; img++) {
            for (int y = 0; y < hq; y++) {
                for (int x = 0; x < wq; x++) {
                    for (int ch = 0; ch < cs; ch++) {
                        boolean inside = y >= top && y < top + h && x >= left && x < left + w && ch < c;
                        float want = inside ? src[((img * c + ch) * h + (y - top)) * w + (x - left)] : 0f;
                        assertEquals(want, buf[l.pixel(img, y, x) + ch], "image " + img + " (" + y + ", " + x + ") channel " + ch);
                    }
                }
            }
        }
        float[] back = new float[src.length + 2];
        float[] bias = new float[c];
        ChannelsLast.toNchw(buf, l, back, 2, null, 0);
        assertArrayEquals(src, Arrays.copyOfRange(back, 2, back.length));
        for (int ch = 0; ch < c; ch++) {
            bias[ch] = 0.5f * ch;
        }
        ChannelsLast.toNchw(buf, l, back, 0, bias, 0);
        for (int i = 0; i < src.length; i++) {
            assertEquals(src[i] + bias[(i / (h * w)) % c], back[i]);
        }
    }

    @ParameterizedTest(name = "pad N={0} C={1} {2}x{3} cs={4} top={5} left={6} hq={7} wq={8}")
    @CsvSource({
        "2, 3, 4, 5, 3, 1, 1, 6, 7",
        "1, 5, 3, 3, 8, 1, 2, 5, 6",
        "3, 17, 2, 7, 17, 0, 0, 2, 7",
        "1, 2, 1, 1, 4, 2, 0, 4, 2",
    })
    void padOfChannelsLastEqualsFromNchwOfTheSameValues(int n, int c, int h, int w, int cs, int top, int left, int hq, int wq) {
        ChannelsLast.Layout l = new ChannelsLast.Layout(n, c, h, w, cs, top, left, hq, wq);
        float[] nchw = new float[n * c * h * w];
        float[] cl = new float[nchw.length + 1];
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < h * w; p++) {
                    float v = ((img * c + ch) * h * w + p) * 0.25f - 3f;
                    nchw[(img * c + ch) * h * w + p] = v;
                    cl[1 + (img * h * w + p) * c + ch] = v;
                }
            }
        }
        float[] want = new float[l.size()];
        ChannelsLast.fromNchw(nchw, 0, l, want);
        float[] got = new float[l.size()];
        Arrays.fill(got, Float.NaN); // a reused buffer holds anything
        ChannelsLast.pad(cl, 1, l, got);
        assertArrayEquals(want, got);
    }
}
