package org.lfssd.autograd.ops;

import org.lfssd.autograd.FrozenParameters;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.GemmEpilogue;
import org.lfssd.kernels.Kernels;
import org.lfssd.tensor.Tensor;

/**
 * The two products of activations with a Linear weight {@code W [out, in]}: {@code x·Wᵀ} (forward) and
 * {@code dY·W} (the input gradient).
 *
 * <p>Inside a {@link FrozenParameters} scope that holds {@code W} (an importance pass), {@code W} is packed
 * for the GEMM once per scope and side, and every batch's product reads the packed form: packing it again
 * for every batch copied the same weights hundreds of times per pass, one pool job per product. Outside a
 * scope (training, where the weights change) the plain product packs {@code W} into the GEMM's reused
 * buffers as before. A product with a packed operand is the plain product on the same panels, so both
 * ways give the same bits.
 */
final class WeightProducts {
    private WeightProducts() {}

    /**
     * What a packed weight depends on besides the weight's values: the GEMM that packed it (its layout is
     * that GEMM's) and which side of the product it serves ({@code Wᵀ} for the forward, {@code W} for the
     * input gradient). Shapes come with the weight.
     */
    record PackedWeightKey(Gemm gemm, boolean transposed) {}

    /**
     * {@code Wᵀ} (transposed) or {@code W} packed by {@code gemm} as a right operand, kept for the open scope
     * that holds {@code w} (computed now if none does).
     */
    static Gemm.PackedB packed(Gemm gemm, Tensor w, boolean transposed) {
        int out = w.shape()[0];
        int in = w.shape()[1];
        return FrozenParameters.derived(w, new PackedWeightKey(gemm, transposed), () -> transposed
                ? gemm.packB(true, in, out, w.data(), w.offset(), in)
                : gemm.packB(false, out, in, w.data(), w.offset(), in));
    }

    /**
     * {@code C = A·Wᵀ + beta·C}, then {@code epilogue} (if not null) on each finished block of C: {@code A} is
     * {@code [rows, in]} at {@code a[aOff...]}, C is {@code [rows, out]} from offset 0.
     */
    static void timesTransposed(int rows, float[] a, int aOff, Tensor w, float beta, float[] c, GemmEpilogue epilogue) {
        Gemm gemm = Kernels.gemm();
        int out = w.shape()[0];
        int in = w.shape()[1];
        if (FrozenParameters.holds(w)) {
            Gemm.PackedB wt = packed(gemm, w, true);
            if (epilogue == null) {
                gemm.sgemm(false, rows, out, in, 1f, a, aOff, in, wt, beta, c, 0, out);
            } else {
                gemm.sgemm(false, rows, out, in, 1f, a, aOff, in, wt, beta, c, 0, out, epilogue);
            }
        } else if (epilogue == null) {
            gemm.sgemm(false, true, rows, out, in, 1f, a, aOff, in, w.data(), w.offset(), in, beta, c, 0, out);
        } else {
            gemm.sgemm(false, true, rows, out, in, 1f, a, aOff, in, w.data(), w.offset(), in, beta, c, 0, out, epilogue);
        }
    }

    /** {@code C = dY·W}: {@code dY} is {@code [rows, out]} at {@code dy[dyOff...]}, C is {@code [rows, in]} from offset 0, overwritten. */
    static void times(int rows, float[] dy, int dyOff, Tensor w, float[] c) {
        Gemm gemm = Kernels.gemm();
        int out = w.shape()[0];
        int in = w.shape()[1];
        if (FrozenParameters.holds(w)) {
            gemm.sgemm(false, rows, in, out, 1f, dy, dyOff, out, packed(gemm, w, false), 0f, c, 0, in);
        } else {
            gemm.sgemm(false, false, rows, in, out, 1f, dy, dyOff, out, w.data(), w.offset(), in, 0f, c, 0, in);
        }
    }
}
