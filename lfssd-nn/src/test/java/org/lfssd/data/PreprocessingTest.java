package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

/** Normalisation, the tensor resize (against PyTorch) and the seeded crop-and-flip augmentation. */
class PreprocessingTest {

    @Test
    void officialNormalizationUsesThePapersStatistics() {
        Tensor x = Tensor.fromArray(new float[] {0f, 1f, 0.5f}, 1, 3, 1, 1);
        Tensor y = Normalization.OFFICIAL.apply(x);
        assertEquals((0f - 0.5070751592371323f) / 0.2673342858792401f, y.get(0, 0, 0, 0));
        assertEquals((1f - 0.48654887331495095f) / 0.2564384629170883f, y.get(0, 1, 0, 0));
        assertEquals((0.5f - 0.4409178433670343f) / 0.27615047132568404f, y.get(0, 2, 0, 0));
        assertEquals(0f, x.get(0, 0, 0, 0), "the input is not modified");
    }

    @Test
    void bilinearResizeMatchesPyTorch() throws IOException, URISyntaxException {
        Path p = Path.of(PreprocessingTest.class.getResource("/fixtures/eval/resize.safetensors").toURI());
        Map<String, Tensor> f = SafeTensors.read(p);
        Tensor in = f.get("input");
        for (int size : new int[] {56, 20, 5, 8}) {
            Tensor want = f.get("out_" + size);
            Tensor got = new BilinearResize(size).apply(in);
            assertArrayEquals(want.shape(), got.shape());
            float[] a = want.toArray();
            float[] b = got.toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 2e-6f, "size " + size + " element " + i);
            }
        }
        assertSame(in, new BilinearResize(8).apply(in), "same size is the identity");
    }

    @Test
    void cropAndFlipIsSeededAndKeepsPixelsOrPadding() {
        float[] v = new float[2 * 1 * 4 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        Tensor x = Tensor.fromArray(v, 2, 1, 4, 4);
        RandomCropFlip aug = new RandomCropFlip(2, new float[] {-7f});
        Tensor a = aug.apply(x, new SplittableRandom(5));
        Tensor b = aug.apply(x, new SplittableRandom(5));
        assertArrayEquals(a.toArray(), b.toArray(), "same seed, same augmentation");
        assertNotEquals(java.util.Arrays.toString(a.toArray()), java.util.Arrays.toString(aug.apply(x, new SplittableRandom(6)).toArray()));
        // Recompute image 0 from the draws: top, left in [-2, 2], then the flip bit.
        SplittableRandom r = new SplittableRandom(5);
        int top = r.nextInt(5) - 2;
        int left = r.nextInt(5) - 2;
        boolean flip = r.nextInt(2) == 1;
        for (int y = 0; y < 4; y++) {
            for (int xx = 0; xx < 4; xx++) {
                int sy = y + top;
                int sx = (flip ? 3 - xx : xx) + left;
                float want = sy < 0 || sy >= 4 || sx < 0 || sx >= 4 ? -7f : v[sy * 4 + sx];
                assertEquals(want, a.get(0, 0, y, xx), "pixel " + y + "," + xx);
            }
        }
        // Padding 0: the only change is the flip.
        assertArrayEquals(unflipOrSame(x, new SplittableRandom(1)),
                new RandomCropFlip(0, new float[] {0f}).apply(x, new SplittableRandom(1)).toArray());
        // On normalised images the padding is what a raw 0 becomes, per channel.
        RandomCropFlip n = RandomCropFlip.forNormalized(4, Normalization.OFFICIAL);
        Tensor rgb = Tensor.full(9f, 4, 3, 2, 2);
        Tensor out = n.apply(rgb, new SplittableRandom(3));
        int padded = 0;
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 2; y++) {
                    for (int xx = 0; xx < 2; xx++) {
                        float got = out.get(i, c, y, xx);
                        if (got != 9f) {
                            assertEquals(Normalization.OFFICIAL.normalize(c, 0f), got);
                            padded++;
                        }
                    }
                }
            }
        }
        assertNotEquals(0, padded, "padding 4 on a 2x2 image must show padding");
    }

    /** With padding 0 the only change is the flip: recompute what it must be. */
    private static float[] unflipOrSame(Tensor x, SplittableRandom r) {
        float[] v = x.toArray();
        float[] out = new float[v.length];
        for (int n = 0; n < 2; n++) {
            r.nextInt(1);
            r.nextInt(1);
            boolean flip = r.nextInt(2) == 1;
            for (int y = 0; y < 4; y++) {
                for (int xx = 0; xx < 4; xx++) {
                    out[n * 16 + y * 4 + xx] = v[n * 16 + y * 4 + (flip ? 3 - xx : xx)];
                }
            }
        }
        return out;
    }
}
