package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and log in float lanes, built only from IEEE-exact lane operations (add, mul, fma, div,
 * compares, bit reinterpretation).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: its result depends on how the code is running.
 * C2 calls a vendor SIMD math routine, the interpreter and C1 run a per-lane {@code Math.exp} fallback,
 * and the two round differently in the last bit. The same softmax could then give different bits
 * before and after warm-up, which breaks our promise that equal inputs give equal outputs. Every
 * operation used here is exactly specified, so the result is the same in every tier.
 *
 * <p>Accuracy: about 1 float ulp for exp over its whole range (normal and subnormal results) and for log
 * over positive normal and subnormal inputs.
 */
final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that n * LN2_HI is exact for |n| < 2^9.
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.428606765330187e-06f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer (nearest even). */
    static final float ROUNDER = 12582912f;
    static final int ROUNDER_BITS = 0x4B400000;
    /** Above this exp overflows float; below EXP_MIN it underflows to zero even as a subnormal. */
    private static final float EXP_MAX = 88.72283935546875f;
    static final float EXP_MIN = -103.97208404541016f;

    /**
     * e^x per lane; NaN stays NaN, +Inf gives +Inf, -Inf gives 0. (The row passes below, for softmax, and
     * GeluLanes' passes split these operations; keep them in step.)
     */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_MIN).min(EXP_MAX); // keeps NaN (min/max propagate it)
        FloatVector t = clamped.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
        FloatVector nf = t.sub(ROUNDER);
        IntVector n = t.reinterpretAsInts().sub(ROUNDER_BITS);
        // r = x - n ln2 in two steps (Cody-Waite), |r| <= ln2 / 2.
        FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), clamped);
        r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        // e^r by its Taylor polynomial to degree 7 (truncation error < 6e-9 relative on |r| <= ln2/2).
        FloatVector p = FloatVector.broadcast(S, 1f / 5040f);
        p = p.fma(r, FloatVector.broadcast(S, 1f / 720f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        // p * 2^n as two normal powers of two, so that subnormal results round only once at the end.
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = p.mul(s1).mul(s2);
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    // ------------------------------------------------------------ exp over rows, in passes

    // The constants as vectors made once: a broadcast in a loop is several inlined calls deep, and every
    // node counts against C2's per-compilation budget (RowPasses).
    static final FloatVector V_EXP_MIN = FloatVector.broadcast(S, EXP_MIN);
    private static final FloatVector V_EXP_MAX = FloatVector.broadcast(S, EXP_MAX);
    static final FloatVector V_LOG2E = FloatVector.broadcast(S, LOG2E);
    static final FloatVector V_ROUNDER = FloatVector.broadcast(S, ROUNDER);
    static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    static final FloatVector V_INV_5040 = FloatVector.broadcast(S, 1f / 5040f);
    static final FloatVector V_INV_720 = FloatVector.broadcast(S, 1f / 720f);
    static final FloatVector V_INV_120 = FloatVector.broadcast(S, 1f / 120f);
    static final FloatVector V_INV_24 = FloatVector.broadcast(S, 1f / 24f);
    static final FloatVector V_INV_6 = FloatVector.broadcast(S, 1f / 6f);
    static final FloatVector V_HALF = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector V_ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector V_INF = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
    private static final FloatVector V_ZERO = FloatVector.zero(S);
    static final VectorSpecies<Integer> INT_LANES = S.withLanes(int.class);
    static final IntVector V_ROUNDER_BITS = IntVector.broadcast(INT_LANES, ROUNDER_BITS);
    static final IntVector V_127 = IntVector.broadcast(INT_LANES, 127);
    static final IntVector V_1I = IntVector.broadcast(INT_LANES, 1);
    static final IntVector V_23I = IntVector.broadcast(INT_LANES, 23);

    // Softmax's exp(x - shift) runs as three passes (expShiftReduce, expPolynomial, expPowersFinish, at
    // most 18 operations each), GELU's exp(-u^2/2) in GeluLanes' own passes (halfSquare, reducePolynomial,
    // powersExp), which keep its operations. Three passes, not two, so that a program that uses only softmax
    // still shows RowPasses' call site more than two pass classes (see RowPasses).

    /**
     * {@code w.a = x - w.shift}, the arguments, and {@link #exp}'s argument reduction of them: {@code w.n}
     * the integer {@code n} and {@code w.r} the remainder {@code r = a - n ln 2}. 14 operations.
     */
    static void expShiftReduce(RowPasses.Rows w, int count) {
        float[] x = w.x;
        int xOff = w.xOff;
        float[] a = w.a;
        float[] r = w.r;
        int[] n = w.n;
        FloatVector shift = FloatVector.broadcast(S, w.shift);
        for (int i = 0; i < count; i += S.length()) {
            FloatVector ai = FloatVector.fromArray(S, x, xOff + i).sub(shift);
            ai.intoArray(a, i);
            FloatVector clamped = ai.max(V_EXP_MIN).min(V_EXP_MAX);
            FloatVector t = clamped.fma(V_LOG2E, V_ROUNDER);
            FloatVector nf = t.sub(V_ROUNDER);
            t.reinterpretAsInts().sub(V_ROUNDER_BITS).intoArray(n, i);
            FloatVector ri = nf.fma(V_NEG_LN2_HI, clamped);
            nf.fma(V_NEG_LN2_LO, ri).intoArray(r, i);
        }
    }

    /** {@link #exp}'s polynomial: {@code w.q = e^r} of {@code w.r}. 9 operations. */
    static void expPolynomial(RowPasses.Rows w, int count) {
        float[] r = w.r;
        float[] q = w.q;
        for (int i = 0; i < count; i += S.length()) {
            FloatVector ri = FloatVector.fromArray(S, r, i);
            FloatVector p = V_INV_5040.fma(ri, V_INV_720);
            p = p.fma(ri, V_INV_120);
            p = p.fma(ri, V_INV_24);
            p = p.fma(ri, V_INV_6);
            p = p.fma(ri, V_HALF);
            p = p.fma(ri, V_ONE);
            p.fma(ri, V_ONE).intoArray(q, i);
        }
    }

    /**
     * {@code out = e^a}: {@link #exp}'s two powers of two {@code 2^(n >> 1)} and {@code 2^(n - (n >> 1))}
     * of {@code w.n}, {@code w.q} times them, then overflow to +Inf and underflow to 0 by {@code w.a}.
     * 18 operations.
     */
    static void expPowersFinish(RowPasses.Rows w, int count) {
        int[] n = w.n;
        float[] a = w.a;
        float[] out = w.out;
        int outOff = w.outOff;
        for (int i = 0; i < count; i += S.length()) {
            IntVector ni = IntVector.fromArray(INT_LANES, n, i);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, V_1I);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(V_127).lanewise(VectorOperators.LSHL, V_23I).reinterpretAsFloats();
            FloatVector s2 = n2.add(V_127).lanewise(VectorOperators.LSHL, V_23I).reinterpretAsFloats();
            FloatVector result = FloatVector.fromArray(S, w.q, i).mul(s1).mul(s2);
            FloatVector x = FloatVector.fromArray(S, a, i);
            result = result.blend(V_INF, x.compare(VectorOperators.GT, V_EXP_MAX));
            result.blend(V_ZERO, x.compare(VectorOperators.LT, V_EXP_MIN)).intoArray(out, outOff + i);
        }
    }

    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float TWO_POW_25 = 33554432f;

    /** Natural log per lane; log(0) = -Inf, log(x < 0) = NaN, log(+Inf) = +Inf, NaN stays NaN. */
    static FloatVector log(FloatVector x) {
        // Subnormals: scale into the normal range first and correct the exponent afterwards.
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_POW_25), tiny);
        IntVector bits = xs.reinterpretAsInts();
        // x = m * 2^e with m in [sqrt(1/2), sqrt(2)): take the exponent of x / sqrt(1/2).
        IntVector shifted = bits.sub(Float.floatToRawIntBits(SQRT_HALF));
        IntVector e = shifted.lanewise(VectorOperators.ASHR, 23);
        FloatVector m = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        ef = ef.sub(FloatVector.zero(S).blend(25f, tiny));
        // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: odd series to s^9.
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(m.add(1f));
        FloatVector s2 = s.mul(s);
        FloatVector q = FloatVector.broadcast(S, 2f / 9f);
        q = q.fma(s2, FloatVector.broadcast(S, 2f / 7f));
        q = q.fma(s2, FloatVector.broadcast(S, 2f / 5f));
        q = q.fma(s2, FloatVector.broadcast(S, 2f / 3f));
        FloatVector logm = s.mul(s2).mul(q).add(s.add(s));
        FloatVector result = ef.fma(FloatVector.broadcast(S, LN2_LO), logm).add(ef.mul(LN2_HI));
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        return result.blend(x, x.compare(VectorOperators.NE, x)); // NaN in, NaN out
    }
}
