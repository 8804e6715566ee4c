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

import static org.lfssd.kernels.vector.VectorMath.EXP_MIN;
import static org.lfssd.kernels.vector.VectorMath.LN2_HI;
import static org.lfssd.kernels.vector.VectorMath.LN2_LO;
import static org.lfssd.kernels.vector.VectorMath.LOG2E;
import static org.lfssd.kernels.vector.VectorMath.ROUNDER;
import static org.lfssd.kernels.vector.VectorMath.ROUNDER_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.GeluApproximation;

/**
 * The exact (erf-form) GELU and its derivative in float lanes, in the form and with the coefficients of
 * {@link GeluApproximation}: per vector one {@link VectorMath#exp}, one division and about fifteen fused
 * multiply-adds. (Not {@code lanewise(EXP)}, whose last bit depends on the JIT tier; see VectorMath.) Within a few float ulps of the double-precision scalar definition.
 *
 * <p>Special values follow PyTorch 1.13: {@code gelu(+inf) = +inf}, {@code gelu(-inf) = NaN}, the
 * derivative is NaN at both infinities, and NaN stays NaN.
 *
 * <p>Why the code is laid out as it is: on JDK 17, C2 stops inlining once a compilation has parsed a
 * certain number of nodes, and one Vector API operation parses into many; past that point the remaining
 * operations stay calls, their vectors are boxed on the heap and the store runs through the API's Java
 * fallback (about 4x slower, with 6 bytes of garbage per element; {@code lfssd-bench/results/jit-budget-2026-12-02.md}).
 * One GELU vector takes about 55 operations, past that limit. So each chunk of a row goes through two
 * units, methods of their own with only arrays and indices crossing their boundaries:
 * {@link #halfSquareExp} computes {@code e = exp(-u^2/2)} into an L1 scratch row (larger than C2's
 * hot-inlining limit, {@code FreqInlineSize} = 325 bytecodes, so it is always compiled on its own), and
 * {@link #geluFromExp} or {@link #backwardFromExp} read it back with {@code x} (these may be inlined into
 * {@link #map} or {@link #mapBackward}, which hold nothing else). The constants are vectors made once
 * ({@code V_...}), every operand included ({@code v.mul(-0.5f)} is a broadcast, several inlined calls
 * deep, that counts against the same budget). Even so {@code halfSquareExp} has been seen to fall back in
 * some JVM runs (its garbage shows as a young collection per ViT-Tiny 224 step;
 * {@code lfssd-bench/results/zen5-2026-12-02.md}): it sits near the limit, and smaller units are the fix.
 * No vector crosses a call (so the two finishing units repeat the lines of {@code H}, and the exp is
 * written out rather than calling {@link VectorMath#exp}, which
 * C2 may have compiled on its own already and then
 * refuse to inline). Every element gets the same operations in the same order as one fused loop would
 * (storing {@code e} and loading it back changes no bit), and tails go through the same units on a padded
 * copy, so every element gets bit-for-bit the same function wherever it sits.
 */
final class GeluLanes {
    private GeluLanes() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // The constants as vectors made once: a broadcast in the loop is several inlined calls deep, and every
    // node counts against C2's per-compilation budget (see the class comment).
    private static final FloatVector V_LOG2E = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector V_ROUNDER = FloatVector.broadcast(S, ROUNDER);
    private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector V_INV_5040 = FloatVector.broadcast(S, 1f / 5040f);
    private static final FloatVector V_INV_720 = FloatVector.broadcast(S, 1f / 720f);
    private static final FloatVector V_INV_120 = FloatVector.broadcast(S, 1f / 120f);
    private static final FloatVector V_INV_24 = FloatVector.broadcast(S, 1f / 24f);
    private static final FloatVector V_INV_6 = FloatVector.broadcast(S, 1f / 6f);
    private static final FloatVector V_HALF = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector V_ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector V_K = FloatVector.broadcast(S, K);
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
    private static final FloatVector V_EXP_MIN = FloatVector.broadcast(S, EXP_MIN);
    private static final FloatVector V_ZERO = FloatVector.zero(S);
    private static final FloatVector V_P9 = FloatVector.broadcast(S, P9);
    private static final FloatVector V_P8 = FloatVector.broadcast(S, P8);
    private static final VectorSpecies<Integer> INT_LANES = S.withLanes(int.class);
    private static final IntVector V_ROUNDER_BITS = IntVector.broadcast(INT_LANES, ROUNDER_BITS);
    private static final IntVector V_127 = IntVector.broadcast(INT_LANES, 127);
    private static final IntVector V_1I = IntVector.broadcast(INT_LANES, 1);
    private static final IntVector V_23I = IntVector.broadcast(INT_LANES, 23);

    /** Elements per pass through the units: the scratch row and the chunk's rows stay in L1. */
    private static final int CHUNK = 512;

    /** Each thread's scratch row for {@code e} (a new one per call was most of the kernel's allocation). */
    private static final ThreadLocal<float[]> E_ROW = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /** {@code out = gelu(x)} over {@code n} elements; {@code out} may be {@code x}. */
    static void map(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = S.loopBound(n);
        float[] e = E_ROW.get();
        for (int c = 0; c < bound; c += CHUNK) {
            int count = Math.min(CHUNK, bound - c);
            halfSquareExp(x, xOff + c, e, count);
            geluFromExp(x, xOff + c, e, out, outOff + c, count);
        }
        if (bound < n) {
            float[] pad = new float[L];
            System.arraycopy(x, xOff + bound, pad, 0, n - bound);
            halfSquareExp(pad, 0, e, L);
            geluFromExp(pad, 0, e, pad, 0, L);
            System.arraycopy(pad, 0, out, outOff + bound, n - bound);
        }
    }

    /**
     * {@code out = g * gelu'(x)} over {@code n} elements (the product rounded once more, as the scalar
     * provider); {@code out} may be {@code x} or {@code g}.
     */
    static void mapBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        int bound = S.loopBound(n);
        float[] e = E_ROW.get();
        for (int c = 0; c < bound; c += CHUNK) {
            int count = Math.min(CHUNK, bound - c);
            halfSquareExp(x, xOff + c, e, count);
            backwardFromExp(x, xOff + c, e, g, gOff + c, out, outOff + c, count);
        }
        if (bound < n) {
            float[] px = new float[L];
            float[] pg = new float[L];
            System.arraycopy(x, xOff + bound, px, 0, n - bound);
            System.arraycopy(g, gOff + bound, pg, 0, n - bound);
            halfSquareExp(px, 0, e, L);
            backwardFromExp(px, 0, e, pg, 0, pg, 0, L);
            System.arraycopy(pg, 0, out, outOff + bound, n - bound);
        }
    }

    /**
     * {@code e[0, count) = exp(-u^2/2)}, {@code u = |x|} clamped to {@link GeluApproximation#U_MAX}, for
     * {@code count} elements of {@code x} (a multiple of the lane count), with the rounding error of
     * {@code u^2} put back: {@code u^2 = hi + lo} exactly (the fma gives {@code lo}), and
     * {@code exp(-(hi + lo)/2) = exp(-hi/2) (1 - lo/2)} to within {@code lo^2/8 < 1e-10}. Without it, near
     * {@code u = 10} the lost {@code lo} (up to {@code 2^-18}) would cost up to 2e-6 relative, 16 to 32 float
     * ulps. {@code exp(-hi/2)} has {@link VectorMath#exp}'s operations, written out; its argument is
     * {@code <= 0} or NaN, so exp's overflow blend could never fire and is left out.
     */
    private static void halfSquareExp(float[] x, int xOff, float[] e, int count) {
        for (int i = 0; i < count; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector u = v.abs().min(V_U_MAX);
            FloatVector hi = u.mul(u);
            FloatVector lo = u.fma(u, hi.neg());
            FloatVector arg = hi.mul(V_MINUS_HALF);
            FloatVector clamped = arg.max(V_EXP_MIN);
            FloatVector rounded = clamped.fma(V_LOG2E, V_ROUNDER);
            FloatVector nf = rounded.sub(V_ROUNDER);
            IntVector n = rounded.reinterpretAsInts().sub(V_ROUNDER_BITS);
            FloatVector r = nf.fma(V_NEG_LN2_HI, clamped);
            r = nf.fma(V_NEG_LN2_LO, r);
            FloatVector q = V_INV_5040;
            q = q.fma(r, V_INV_720);
            q = q.fma(r, V_INV_120);
            q = q.fma(r, V_INV_24);
            q = q.fma(r, V_INV_6);
            q = q.fma(r, V_HALF);
            q = q.fma(r, V_ONE);
            q = q.fma(r, V_ONE);
            IntVector n1 = n.lanewise(VectorOperators.ASHR, V_1I);
            IntVector n2 = n.sub(n1);
            FloatVector s1 = n1.add(V_127).lanewise(VectorOperators.LSHL, V_23I).reinterpretAsFloats();
            FloatVector s2 = n2.add(V_127).lanewise(VectorOperators.LSHL, V_23I).reinterpretAsFloats();
            FloatVector e0 = q.mul(s1).mul(s2).blend(V_ZERO, arg.compare(VectorOperators.LT, V_EXP_MIN));
            e0.fma(lo.mul(V_MINUS_HALF), e0).intoArray(e, i);
        }
    }

    /**
     * {@code out = x Phi(x)} for {@code count} elements, from {@code e} of {@link #halfSquareExp}, with
     * {@code Phi(-u) = e H(u)}: {@code H(u) = P(T)/(K + u)}, {@code T = (K - u)/(K + u)}, by Horner's rule;
     * {@code Phi(x) = e H} for {@code x <= 0} and {@code 1 - e H} for {@code x > 0}.
     */
    private static void geluFromExp(float[] x, int xOff, float[] e, float[] out, int outOff, int count) {
        for (int i = 0; i < count; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector u = v.abs().min(V_U_MAX);
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
            FloatVector tail = FloatVector.fromArray(S, e, i).mul(p.mul(inv)); // Phi(-|x|)
            FloatVector cdf = tail.blend(V_ONE.sub(tail), v.compare(VectorOperators.GT, V_ZERO));
            v.mul(cdf).intoArray(out, outOff + i);
        }
    }

    /**
     * {@code out = g (Phi(x) + x phi(x))} for {@code count} elements, {@code phi(x) = e/sqrt(2 pi)}, with
     * {@code e} of {@link #halfSquareExp} and {@code H} as in {@link #geluFromExp}, grouped around the
     * shared factor {@code e}: {@code e (H + c x)} for {@code x <= 0} and {@code 1 + e (c x - H)} for
     * {@code x > 0}, {@code c = 1/sqrt(2 pi)}. The unclamped {@code x} goes into {@code c x}, so infinities
     * give {@code 0 * inf = NaN}, as PyTorch. Far left, where {@code e} underflows, the result is {@code -0},
     * the sign of the true (negative) value, as the scalar provider; PyTorch gives {@code +0} there
     * ({@code Phi = +0} plus {@code x phi = -0}).
     */
    private static void backwardFromExp(float[] x, int xOff, float[] e, float[] g, int gOff, float[] out, int outOff,
                                        int count) {
        for (int i = 0; i < count; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector u = v.abs().min(V_U_MAX);
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
            FloatVector h = p.mul(inv);
            FloatVector ev = FloatVector.fromArray(S, e, i);
            FloatVector c = V_INV_SQRT_2PI;
            FloatVector negativeSide = ev.mul(v.fma(c, h));
            FloatVector positiveSide = ev.fma(v.fma(c, h.neg()), V_ONE);
            FloatVector derivative = negativeSide.blend(positiveSide, v.compare(VectorOperators.GT, V_ZERO));
            FloatVector.fromArray(S, g, gOff + i).mul(derivative).intoArray(out, outOff + i);
        }
    }
}
