package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planes {@literal <->} pixels transposes of every provider against their definition, element by
 * element, on channel and pixel counts around the 16x16 register tile (whole tiles, partial tiles and
 * none), with row gaps, padding channels and offsets: destinations start dirty and everything the
 * transpose must not write has to stay as it was.
 */
class ChannelTransposeKernelsTest {

    private static List<KernelProvider> providers() {
        List<KernelProvider> all = new ArrayList<>();
        all.add(new ScalarKernels());
        if (Kernels.vectorModuleReadable()) {
            all.add(FastKernels.vectorProvider());
        }
        return all;
    }

    @ParameterizedTest(name = "C={0} {1}x{2} cs={3} row gap={4}")
    @CsvSource({
        "1, 1, 1, 1, 0",
        "3, 5, 7, 4, 2",
        "16, 4, 4, 16, 0",   // exactly one tile
        "16, 4, 4, 16, 32",  // one tile, pixels in rows with gaps
        "17, 3, 6, 20, 20",  // a tile and a channel tail, a pixel tail
        "32, 8, 8, 32, 64",  // two channel tiles, four pixel tiles, zero border as in a padded conv input
        "33, 2, 17, 36, 0",  // tails on both axes
        "48, 5, 5, 48, 96",
    })
    void transposesAreTheirDefinition(int channels, int h, int w, int cs, int rowGap) {
        int pixels = h * w;
        int planeStride = pixels + 3;
        int rowStride = w * cs + rowGap;
        int[] offsets = new int[pixels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                offsets[y * w + x] = y * rowStride + x * cs;
            }
        }
        int srcOff = 5;
        int dstOff = 7;
        float[] planes = new float[srcOff + channels * planeStride];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = i + 0.25f;
        }
        float[] want = new float[dstOff + h * rowStride + 11];
        Arrays.fill(want, Float.NaN);
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < pixels; p++) {
                want[dstOff + offsets[p] + c] = planes[srcOff + c * planeStride + p];
            }
        }
        float[] bias = new float[channels + 2];
        for (int c = 0; c < bias.length; c++) {
            bias[c] = 0.5f * c - 3f;
        }
        float[] backWant = new float[planes.length + 4];
        Arrays.fill(backWant, -1f);
        float[] backBiasWant = backWant.clone();
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < pixels; p++) {
                float v = want[dstOff + offsets[p] + c];
                backWant[2 + c * planeStride + p] = v;
                backBiasWant[2 + c * planeStride + p] = v + bias[1 + c];
            }
        }
        for (KernelProvider kp : providers()) {
            String at = kp.name() + " C=" + channels + " " + h + "x" + w;
            float[] got = new float[want.length];
            Arrays.fill(got, Float.NaN);
            kp.planesToPixels(planes, srcOff, planeStride, channels, got, dstOff, offsets, pixels);
            assertArrayEquals(want, got, "planesToPixels " + at);
            float[] back = new float[backWant.length];
            Arrays.fill(back, -1f);
            kp.pixelsToPlanes(want, dstOff, offsets, pixels, channels, null, 0, back, 2, planeStride);
            assertArrayEquals(backWant, back, "pixelsToPlanes " + at);
            Arrays.fill(back, -1f);
            kp.pixelsToPlanes(want, dstOff, offsets, pixels, channels, bias, 1, back, 2, planeStride);
            assertArrayEquals(backBiasWant, back, "pixelsToPlanes with bias " + at);
        }
    }
}
