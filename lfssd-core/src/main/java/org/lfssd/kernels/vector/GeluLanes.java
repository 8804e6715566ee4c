package org.lfssd.kernels.vector;

import static org.lfssd.kernels.GeluApproximation.INV_SQRT_2PI;
import static org.lfssd.kernels.GeluApproximation.K;
import static org.lfssd.kernels.GeluApproximation.P0;
import static org.lfssd.kernels.GeluApproximation.P1;
import static org.lfssd.kernels.GeluApproximation.P2;
import static org.lfssd.kernels.GeluApproximation.P3;
import static org.lfssd.kernels.GeluApproximation.P4;
import static org.lfssd.kernels.GeluApproximation.P5;
import static org.lfssd.kernels.GeluApproximation.P6;
import static org.lfssd.kernels.GeluApproximation.P7;
import static org.lfssd.kernels.GeluApproximation.P8;
import static org.lfssd.kernels.GeluApproximation.P9;
import static org.lfssd.kernels.GeluApproximation.U_MAX;

import static org.lfssd.kernels.vector.VectorMath.V_EXP_MIN;
import static org.lfssd.kernels.vector.VectorMath.V_LOG2E;
import static org.lfssd.kernels.vector.VectorMath.V_NEG_LN2_HI;
import static org.lfssd.kernels.vector.VectorMath.V_NEG_LN2_LO;
import static org.lfssd.kernels.vector.VectorMath.V_ROUNDER;
import static org.lfssd.kernels.vector.VectorMath.V_ROUNDER_BITS;
import static org.lfssd.kernels.vector.VectorMath.V_INV_5040;
import static org.lfssd.kernels.vector.VectorMath.V_INV_720;
import static org.lfssd.kernels.vector.VectorMath.V_INV_120;
import static org.lfssd.kernels.vector.VectorMath.V_INV_24;
import static org.lfssd.kernels.vector.VectorMath.V_INV_6;
import static org.lfssd.kernels.vector.VectorMath.V_HALF;
import static org.lfssd.kernels.vector.VectorMath.INT_LANES;
import static org.lfssd.kernels.vector.VectorMath.V_127;
import static org.lfssd.kernels.vector.VectorMath.V_1I;
import static org.lfssd.kernels.vector.VectorMath.V_23I;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.GeluApproximation;

/**
 * The exact (erf-form) GELU and its derivative in float lanes, in the form and with the coefficients of
 * {@link GeluApproximation}: per vector one exp (the operations of {@link VectorMath#exp} but its upper
 * clamp and overflow blend, which cannot act here), one division and about fifteen fused multiply-adds. (Not {@code lanewise(EXP)}, whose last bit depends on the JIT
 * tier; see VectorMath.) Within a few float ulps of the double-precision scalar definition.
 *
 * <p>Special values follow PyTorch 1.13: {@code gelu(+inf) = +inf}, {@code gelu(-inf) = NaN}, the
 * derivative is NaN at both infinities, and NaN stays NaN.
 *
 * <p>Layout: one GELU vector takes about 55 Vector API operations, far more than one C2 compilation on
 * JDK 17 takes before it stops inlining them (see {@link RowPasses}, which also says why the passes are
 * never compiled into one another). So each chunk of a row goes through five passes of at most 18
 * operations, through per-thread scratch rows: {@link #halfSquare} (the argument {@code -u^2/2}),
 * {@link #reducePolynomial} and {@link #powersExp} give {@code e = exp(-u^2/2)}, {@link #tail} gives
 * {@code H(u)}, then {@link #forward} or {@link #backward}. Every element gets the same operations in the
 * same order as one fused loop, and tails go through the same passes on a padded copy.
 */
final class GeluLanes {
    private GeluLanes() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // The constants as vectors made once: a broadcast in the loop is several inlined calls deep, and every
    // node counts against C2's per-compilation budget (see RowPasses).
    private static final FloatVector V_ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector V_K = FloatVector.broadcast(S, K);
    private static final FloatVector V_P9 = FloatVector.broadcast(S, P9);
    private static final FloatVector V_P8 = FloatVector.broadcast(S, P8);
    private static final FloatVector V_P7 = FloatVector.broadcast(S, P7);
    private static final FloatVector V_P6 = FloatVector.broadcast(S, P6);
    private static final FloatVector V_P5 = FloatVector.broadcast(S, P5);
    private static final FloatVector V_P4 = FloatVector.broadcast(S, P4);
    private static final FloatVector V_P3 = FloatVector.broadcast(S, P3);
    private static final FloatVector V_P2 = FloatVector.broadcast(S, P2);
    private static final FloatVector V_P1 = FloatVector.broadcast(S, P1);
    private static final FloatVector V_P0 = FloatVector.broadcast(S, P0);
    private static final FloatVector V_INV_SQRT_2PI = FloatVector.broadcast(S, INV_SQRT_2PI);
    private static final FloatVector V_U_MAX = FloatVector.broadcast(S, U_MAX);
    private static final FloatVector V_MINUS_HALF = FloatVector.broadcast(S, -0.5f);
    private static final FloatVector V_ZERO = FloatVector.zero(S);

    // Each array has its own method references, so each is a class of its own at RowPasses' call site.
    private static final RowPasses.Pass[] FORWARD = {
        GeluLanes::halfSquare, GeluLanes::reducePolynomial, GeluLanes::powersExp, GeluLanes::tail,
        GeluLanes::forward,
    };
    private static final RowPasses.Pass[] BACKWARD = {
        GeluLanes::halfSquare, GeluLanes::reducePolynomial, GeluLanes::powersExp, GeluLanes::tail,
        GeluLanes::backward,
    };

    /** {@code out = gelu(x)} over {@code n} elements; {@code out} may be {@code x}. */
    static void map(float[] x, int xOff, float[] out, int outOff, int n) {
        RowPasses.run(FORWARD, x, xOff, null, 0, out, outOff, n, 0f);
    }

    /**
     * {@code out = g * gelu'(x)} over {@code n} elements (the product rounded once more, as the scalar
     * provider); {@code out} may be {@code x} or {@code g}.
     */
    static void mapBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        RowPasses.run(BACKWARD, x, xOff, g, gOff, out, outOff, n, 0f);
    }

    /**
     * The argument of {@code e = exp(-u^2/2)}, {@code u = |x|} clamped to {@link GeluApproximation#U_MAX}:
     * {@code w.a = -hi/2} and {@code w.loHalf = -lo/2}, where {@code u^2 = hi + lo} exactly (the fma gives
     * {@code lo}). {@link #powersExp} puts {@code lo} back: {@code exp(-(hi + lo)/2) = exp(-hi/2) (1 - lo/2)}
     * to within {@code lo^2/8 < 1e-10}. Without it, near {@code u = 10} the lost {@code lo} (up to
     * {@code 2^-18}) would cost up to 2e-6 relative, 16 to 32 float ulps. 10 operations.
     */
    private static void halfSquare(RowPasses.Rows w, int count) {
        float[] x = w.x;
        int xOff = w.xOff;
        float[] a = w.a;
        float[] loHalf = w.loHalf;
        for (int i = 0; i < count; i += L) {
            FloatVector u = FloatVector.fromArray(S, x, xOff + i).abs().min(V_U_MAX);
            FloatVector hi = u.mul(u);
            FloatVector lo = u.fma(u, hi.neg());
            hi.mul(V_MINUS_HALF).intoArray(a, i);
            lo.mul(V_MINUS_HALF).intoArray(loHalf, i);
        }
    }

    /**
     * exp's argument reduction of {@code w.a} into {@code w.n} and {@code r}, as {@link VectorMath#expShiftReduce}
     * but only the lower clamp (GELU's arguments are {@code <= 0} or NaN: the upper clamp, and exp's
     * overflow blend in {@link #powersExp}, could never act), then exp's polynomial {@code w.q = e^r}.
     * 17 operations.
     */
    private static void reducePolynomial(RowPasses.Rows w, int count) {
        float[] a = w.a;
        int[] n = w.n;
        float[] q = w.q;
        for (int i = 0; i < count; i += L) {
            FloatVector clamped = FloatVector.fromArray(S, a, i).max(V_EXP_MIN);
            FloatVector rounded = clamped.fma(V_LOG2E, V_ROUNDER);
            FloatVector nf = rounded.sub(V_ROUNDER);
            rounded.reinterpretAsInts().sub(V_ROUNDER_BITS).intoArray(n, i);
            FloatVector r = nf.fma(V_NEG_LN2_HI, clamped);
            r = nf.fma(V_NEG_LN2_LO, r);
            FloatVector p = V_INV_5040.fma(r, V_INV_720);
            p = p.fma(r, V_INV_120);
            p = p.fma(r, V_INV_24);
            p = p.fma(r, V_INV_6);
            p = p.fma(r, V_HALF);
            p = p.fma(r, V_ONE);
            p.fma(r, V_ONE).intoArray(q, i);
        }
    }

    /**
     * {@code w.e = exp(-u^2/2)}: exp's two powers of two {@code 2^(n >> 1)}, {@code 2^(n - (n >> 1))} of
     * {@code w.n}, {@code q 2^n} with its underflow to 0 (by {@code w.a}), then the {@code lo} correction.
     * 18 operations.
     */
    private static void powersExp(RowPasses.Rows w, int count) {
        int[] n = w.n;
        float[] e = w.e;
        for (int i = 0; i < count; i += L) {
            IntVector ni = IntVector.fromArray(INT_LANES, n, i);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, V_1I);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(V_127).lanewise(VectorOperators.LSHL, V_23I).reinterpretAsFloats();
            FloatVector s2 = n2.add(V_127).lanewise(VectorOperators.LSHL, V_23I).reinterpretAsFloats();
            FloatVector e0 = FloatVector.fromArray(S, w.q, i).mul(s1).mul(s2);
            e0 = e0.blend(V_ZERO, FloatVector.fromArray(S, w.a, i).compare(VectorOperators.LT, V_EXP_MIN));
            e0.fma(FloatVector.fromArray(S, w.loHalf, i), e0).intoArray(e, i);
        }
    }

    /**
     * {@code w.h = H(u) = P(T)/(K + u)}, {@code T = (K - u)/(K + u)}, {@code u} as in
     * {@link #halfSquare}, by Horner's rule, with {@code Phi(-u) = e H(u)}. 18 operations.
     */
    private static void tail(RowPasses.Rows w, int count) {
        float[] x = w.x;
        int xOff = w.xOff;
        float[] h = w.h;
        for (int i = 0; i < count; i += L) {
            FloatVector u = FloatVector.fromArray(S, x, xOff + i).abs().min(V_U_MAX);
            FloatVector inv = V_ONE.div(u.add(V_K));
            FloatVector t = V_K.sub(u).mul(inv);
            FloatVector p = t.fma(V_P9, V_P8);
            p = p.fma(t, V_P7);
            p = p.fma(t, V_P6);
            p = p.fma(t, V_P5);
            p = p.fma(t, V_P4);
            p = p.fma(t, V_P3);
            p = p.fma(t, V_P2);
            p = p.fma(t, V_P1);
            p = p.fma(t, V_P0);
            p.mul(inv).intoArray(h, i);
        }
    }

    /**
     * {@code out = x Phi(x)}: {@code Phi(x) = e H} for {@code x <= 0} and {@code 1 - e H} for {@code x > 0}.
     * 9 operations.
     */
    private static void forward(RowPasses.Rows w, int count) {
        float[] x = w.x;
        int xOff = w.xOff;
        float[] out = w.out;
        int outOff = w.outOff;
        for (int i = 0; i < count; i += L) {
            FloatVector e = FloatVector.fromArray(S, w.e, i);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector tail = e.mul(FloatVector.fromArray(S, w.h, i)); // Phi(-|x|)
            FloatVector cdf = tail.blend(V_ONE.sub(tail), v.compare(VectorOperators.GT, V_ZERO));
            v.mul(cdf).intoArray(out, outOff + i);
        }
    }

    /**
     * {@code out = g (Phi(x) + x phi(x))}, {@code phi(x) = e/sqrt(2 pi)}, grouped around the shared factor
     * {@code e}: {@code e (H + c x)} for {@code x <= 0} and {@code 1 + e (c x - H)} for {@code x > 0},
     * {@code c = 1/sqrt(2 pi)}. The unclamped {@code x} goes into {@code c x}, so infinities give
     * {@code 0 * inf = NaN}, as PyTorch. Far left, where {@code e} underflows, the result is {@code -0}, the
     * sign of the true (negative) value, as the scalar provider; PyTorch gives {@code +0} there
     * ({@code Phi = +0} plus {@code x phi = -0}). 13 operations.
     */
    private static void backward(RowPasses.Rows w, int count) {
        float[] x = w.x;
        int xOff = w.xOff;
        float[] g = w.g;
        int gOff = w.gOff;
        float[] out = w.out;
        int outOff = w.outOff;
        for (int i = 0; i < count; i += L) {
            FloatVector ev = FloatVector.fromArray(S, w.e, i);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector h = FloatVector.fromArray(S, w.h, i);
            FloatVector negativeSide = ev.mul(v.fma(V_INV_SQRT_2PI, h));
            FloatVector positiveSide = ev.fma(v.fma(V_INV_SQRT_2PI, h.neg()), V_ONE);
            FloatVector derivative = negativeSide.blend(positiveSide, v.compare(VectorOperators.GT, V_ZERO));
            FloatVector.fromArray(S, g, gOff + i).mul(derivative).intoArray(out, outOff + i);
        }
    }
}
