package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfssd.autograd.FrozenParameters;
import org.lfssd.autograd.Var;
import org.lfssd.autograd.ops.ConvOps.Algorithm;
import org.lfssd.kernels.ChannelsLast;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.ScalarKernels;
import org.lfssd.kernels.WinogradConvolution;
import org.lfssd.kernels.WinogradFilter;
import org.lfssd.tensor.Tensor;

/**
 * A convolution whose weight is held in a {@link FrozenParameters} scope derives each of the weight's
 * forms (reordered, packed, Winograd-transformed) once, in its first call, and gives the same bits as
 * outside a scope, where every call derives them again: output, input, weight and bias gradients, over
 * two successive calls, for the Winograd layers (3x3 stride 1, even size) and the direct ones (3x3
 * stride 2, 1x1 stride 2, and a 3x3 stride 1 asked to be direct), in both layouts.
 */
class ConvWeightFormsTest {

    /** {y, dx, dw, db} of one forward and backward of the convolution in the given layout. */
    private static Tensor[] step(boolean channelsLast, Algorithm algorithm, Tensor x, Tensor w, Tensor b, Tensor seed,
                                 int stride, int pad) {
        Var xv = Var.param(x);
        Var wv = Var.param(w);
        Var bv = Var.param(b);
        Var y = channelsLast ? ConvOps.conv2dChannelsLast(xv, wv, bv, stride, pad, algorithm)
                : ConvOps.conv2d(xv, wv, bv, stride, pad, algorithm);
        y.backward(seed);
        return new Tensor[] {y.value(), xv.grad(), wv.grad(), bv.grad()};
    }

    private static void assertSameBits(Tensor[] expected, Tensor[] actual, String what) {
        String[] names = {"y", "dx", "dw", "db"};
        for (int i = 0; i < expected.length; i++) {
            assertNotNull(actual[i], what + " " + names[i]);
            assertArrayEquals(expected[i].toArray(), actual[i].toArray(), what + " " + names[i]);
        }
    }

    /**
     * {@code forms} is how many forms a call derives in a new scope: Winograd, its forward and
     * input-gradient filters; direct, the forward's taps and one per distinct set of taps among the input
     * gradient's stride phases (3x3 stride 2: {4}, {3,5}, {1,7}, {0,2,6,8}; 1x1 stride 2: {0} and the
     * empty set of the three phases no tap reaches). {@code perCall} is how many a call derives outside
     * a scope, one per phase (the 1x1's three empty phases derive the empty set three times).
     */
    @ParameterizedTest(name = "{0} cl={1} N={2} C={3} {4}x{4} O={5} k={6} s={7} p={8}")
    @CsvSource({
        "WINOGRAD, false, 2, 16, 8, 32, 3, 1, 1, 2, 2",
        "WINOGRAD, true,  2, 16, 8, 32, 3, 1, 1, 2, 2",
        "DIRECT,   true,  2, 16, 8, 32, 3, 1, 1, 2, 2",
        "DIRECT,   false, 2, 16, 8, 32, 3, 2, 1, 5, 5",
        "DIRECT,   true,  2, 20, 9, 32, 3, 2, 1, 5, 5",
        "DIRECT,   false, 2, 16, 8, 64, 1, 2, 0, 3, 5",
        "DIRECT,   true,  1, 32, 7, 64, 1, 2, 0, 3, 5",
    })
    void aScopeDerivesEachFormOnceAndGivesTheSameBits(Algorithm algorithm, boolean channelsLast, int n, int c, int size,
                                                       int o, int k, int stride, int pad, int forms, int perCall) {
        SplittableRandom rng = new SplittableRandom(31L * c + 7L * k + stride);
        int out = (size + 2 * pad - k) / stride + 1;
        Tensor w = Tensor.randn(rng, 0f, 0.2f, o, c, k, k);
        Tensor b = Tensor.randn(rng, 0f, 1f, o);
        Tensor[] xs = new Tensor[2];
        Tensor[] seeds = new Tensor[2];
        for (int i = 0; i < 2; i++) {
            xs[i] = channelsLast ? Tensor.randn(rng, 0f, 1f, n, size, size, c) : Tensor.randn(rng, 0f, 1f, n, c, size, size);
            seeds[i] = channelsLast ? Tensor.randn(rng, 0f, 1f, n, out, out, o) : Tensor.randn(rng, 0f, 1f, n, o, out, out);
        }
        Tensor[][] outside = new Tensor[2][];
        int before = ConvWeightForms.DERIVED.get();
        for (int i = 0; i < 2; i++) {
            outside[i] = step(channelsLast, algorithm, xs[i], w, b, seeds[i], stride, pad);
        }
        assertEquals(2 * perCall, ConvWeightForms.DERIVED.get() - before, "outside a scope every call derives the forms");

        try (FrozenParameters scope = FrozenParameters.of(List.of(w))) {
            before = ConvWeightForms.DERIVED.get();
            Tensor[] first = step(channelsLast, algorithm, xs[0], w, b, seeds[0], stride, pad);
            assertEquals(forms, ConvWeightForms.DERIVED.get() - before, "the first call in the scope derives each form");
            Tensor[] second = step(channelsLast, algorithm, xs[1], w, b, seeds[1], stride, pad);
            assertEquals(forms, ConvWeightForms.DERIVED.get() - before, "the second call is served from the scope");
            assertSameBits(outside[0], first, "first call");
            assertSameBits(outside[1], second, "second call");
        }
    }

    @Test
    void autoOnAWinogradLayerDerivesItsTwoFiltersOnce() {
        // Where the SIMD provider is present auto takes Winograd here (>= 16 channels in fours, 32 out);
        // on the scalar provider it takes im2col, which reads the weight as it is and derives nothing.
        boolean fast = Kernels.provider().vectorBitSize() > 0;
        SplittableRandom rng = new SplittableRandom(5);
        Tensor w = Tensor.randn(rng, 0f, 0.2f, 32, 16, 3, 3);
        Tensor b = Tensor.randn(rng, 0f, 1f, 32);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 8, 8, 16);
        Tensor seed = Tensor.randn(rng, 0f, 1f, 2, 8, 8, 32);
        Tensor[] outside = step(true, Algorithm.AUTO, x, w, b, seed, 1, 1);
        try (FrozenParameters scope = FrozenParameters.of(List.of(w))) {
            int before = ConvWeightForms.DERIVED.get();
            Tensor[] first = step(true, Algorithm.AUTO, x, w, b, seed, 1, 1);
            Tensor[] second = step(true, Algorithm.AUTO, x, w, b, seed, 1, 1);
            assertEquals(fast ? 2 : 0, ConvWeightForms.DERIVED.get() - before);
            assertSameBits(outside, first, "first call");
            assertSameBits(outside, second, "second call");
        }
    }

    @Test
    void formsAreKeyedByWhatTheyDependOn() {
        Tensor w = Tensor.randn(new SplittableRandom(9), 0f, 1f, 32, 16, 3, 3);
        try (FrozenParameters scope = FrozenParameters.of(List.of(w))) {
            var gemm = Kernels.provider().implicitGemm();
            assertSame(ConvWeightForms.tapMajor(gemm, w, 32, 16, 9, 16), ConvWeightForms.tapMajor(gemm, w, 32, 16, 9, 16));
            assertEquals(16 * 9, ConvWeightForms.tapMajor(gemm, w, 32, 16, 9, 16).depth());
            assertEquals(20 * 9, ConvWeightForms.tapMajor(gemm, w, 32, 16, 9, 20).depth(), "another channel stride");
            assertEquals(2 * 32, ConvWeightForms.outputMajor(gemm, w, 32, 16, 9, new int[] {3, 5}).depth());
            assertEquals(4 * 32, ConvWeightForms.outputMajor(gemm, w, 32, 16, 9, new int[] {0, 2, 6, 8}).depth(),
                    "another phase's taps");
            // A filter is packed for one provider's implicit GEMM: another's is another form, and is refused.
            WinogradFilter scalar = ConvWeightForms.winogradForward(new ScalarKernels(), w, 32, 16, 16);
            WinogradFilter active = ConvWeightForms.winogradForward(Kernels.provider(), w, 32, 16, 16);
            assertSame(active, ConvWeightForms.winogradForward(Kernels.provider(), w, 32, 16, 16));
            ChannelsLast.Layout l = new ChannelsLast.Layout(1, 16, 2, 2, 16, 1, 1, 4, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WinogradConvolution.convolve(Kernels.provider(), new float[l.size()], l, scalar, new float[128]));
            assertTrue(e.getMessage().contains("prepared for another"), e.getMessage());
        }
    }
}
