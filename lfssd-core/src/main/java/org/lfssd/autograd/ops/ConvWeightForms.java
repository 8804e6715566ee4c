package org.lfssd.autograd.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.lfssd.autograd.FrozenParameters;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.WinogradFilter;
import org.lfssd.tensor.Tensor;

/**
 * The forms of a convolution weight {@code w [O][C][kh][kw]} that {@link DirectConv}'s products read,
 * each obtained through {@link FrozenParameters#derived}: reordered ({@link ConvWeights}), then packed
 * for the implicit GEMM or transformed and packed for Winograd ({@link WinogradFilter}).
 *
 * <p>They depend on the weight's values and on nothing about the batch, so inside a scope that holds
 * the weight (an importance pass) each is derived for the first batch and reused by the rest, instead
 * of being rebuilt serially on the calling thread for every batch. Outside one each is derived at every
 * call, as before. The same operations run in the same order either way, so the bits are the same.
 *
 * <p>A key names the form and everything besides the weight's values that it depends on: the sizes,
 * the channel stride, the selected taps, and the implicit GEMM whose private panel layout it is packed
 * in. The reordered arrays are only read by the packing, which copies them; nothing writes into a form.
 */
final class ConvWeightForms {
    private ConvWeightForms() {}

    /** Forms derived so far (not served from a scope), for tests that check a scope reuses them. */
    static final AtomicInteger DERIVED = new AtomicInteger();

    /**
     * The forward's {@code [taps][cs][O]} ({@link ConvWeights#tapMajor}), packed as the right operand of
     * {@code gemm}'s gather.
     */
    static ImplicitGemm.Packed tapMajor(ImplicitGemm gemm, Tensor w, int outChannels, int channels, int taps, int cs) {
        List<Object> key = List.of("conv tap-major", gemm, outChannels, channels, taps, cs);
        return FrozenParameters.derived(w, key, () -> {
            DERIVED.incrementAndGet();
            float[] b = ConvWeights.tapMajor(w.data(), w.offset(), outChannels, channels, taps, cs);
            return gemm.pack(b, taps * cs, outChannels);
        });
    }

    /**
     * The selected taps output-major, {@code [tapIndex.length][O][C]} ({@link ConvWeights#outputMajor}),
     * packed as the right operand of {@code gemm}'s gather: one stride phase of the input gradient.
     */
    static ImplicitGemm.Packed outputMajor(ImplicitGemm gemm, Tensor w, int outChannels, int channels, int taps,
                                           int[] tapIndex) {
        List<Object> key = List.of("conv output-major", gemm, outChannels, channels, taps, boxed(tapIndex));
        return FrozenParameters.derived(w, key, () -> {
            DERIVED.incrementAndGet();
            float[] b = ConvWeights.outputMajor(w.data(), w.offset(), outChannels, channels, taps, tapIndex);
            return gemm.pack(b, tapIndex.length * outChannels, channels);
        });
    }

    /** The forward's Winograd filter: the 3x3 weight tap-major with channel stride {@code cs}, transformed and packed. */
    static WinogradFilter winogradForward(KernelProvider kernels, Tensor w, int outChannels, int channels, int cs) {
        List<Object> key = List.of("winograd forward", kernels.implicitGemm(), outChannels, channels, cs);
        return FrozenParameters.derived(w, key, () -> {
            DERIVED.incrementAndGet();
            float[] b = ConvWeights.tapMajor(w.data(), w.offset(), outChannels, channels, 9, cs);
            return WinogradFilter.prepare(kernels, b, cs, outChannels);
        });
    }

    /**
     * The input gradient's Winograd filter: the 3x3 weight turned by 180 degrees with its channels
     * swapped ({@code [9][O][C]}, taps reversed), transformed and packed.
     */
    static WinogradFilter winogradInputGrad(KernelProvider kernels, Tensor w, int outChannels, int channels) {
        List<Object> key = List.of("winograd input gradient", kernels.implicitGemm(), outChannels, channels);
        return FrozenParameters.derived(w, key, () -> {
            DERIVED.incrementAndGet();
            int[] reversed = new int[9];
            for (int t = 0; t < 9; t++) {
                reversed[t] = 8 - t;
            }
            float[] rotated = ConvWeights.outputMajor(w.data(), w.offset(), outChannels, channels, 9, reversed);
            return WinogradFilter.prepare(kernels, rotated, outChannels, channels);
        });
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return List.copyOf(list);
    }
}
