package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfssd.kernels.Parallel;

/**
 * The weight-gradient reorder {@link ConvWeights#fromTapMajor} (its own job after every direct weight
 * gradient) against its definition, element by element, on sizes that leave partial blocks of output and
 * input channels and a channel stride above the channel count, on one, two and three threads; and it undoes
 * {@link ConvWeights#tapMajor}.
 */
class ConvWeightsTest {

    @ParameterizedTest(name = "O={0} C={1} taps={2} cs={3}")
    @CsvSource({"37, 21, 9, 24", "64, 64, 9, 64", "16, 3, 9, 4", "5, 40, 1, 40", "512, 33, 9, 36", "1, 1, 1, 1"})
    void fromTapMajorIsItsDefinitionOnAnyThreadCount(int outChannels, int channels, int taps, int cs) {
        SplittableRandom r = new SplittableRandom(outChannels * 31L + channels);
        float[] tapMajor = new float[taps * cs * outChannels];
        for (int i = 0; i < tapMajor.length; i++) {
            tapMajor[i] = (float) r.nextDouble(-1, 1);
        }
        float[] expected = new float[outChannels * channels * taps];
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    expected[(o * channels + c) * taps + t] = tapMajor[(t * cs + c) * outChannels + o];
                }
            }
        }
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] w = new float[expected.length];
                ConvWeights.fromTapMajor(tapMajor, outChannels, channels, taps, cs, w);
                assertArrayEquals(expected, w, "on " + threads + " threads");
                float[] back = ConvWeights.tapMajor(w, 0, outChannels, channels, taps, cs);
                float[] again = new float[expected.length];
                ConvWeights.fromTapMajor(back, outChannels, channels, taps, cs, again);
                assertArrayEquals(w, again, "fromTapMajor(tapMajor(w)) on " + threads + " threads");
                assertEquals(taps * cs * outChannels, back.length);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
