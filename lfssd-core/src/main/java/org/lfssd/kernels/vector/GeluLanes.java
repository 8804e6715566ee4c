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
 * <p>Why the code is laid out as it is: each block method loads, computes and stores one vector, so no
 * vector ever crosses a method boundary. The lane code is large, and C2 often compiles a hot callee on
 * its own and then declines to inline it ("already compiled into a big method"); a vector passed to or
 * returned from such a call is boxed, which made a first version with helper methods taking and
 * returning vectors twenty times slower. For the same reason the block methods no longer call
 * {@link VectorMath#exp} but repeat its operations: when exp had been compiled on its own first (softmax
 * calls it too), C2 could refuse to inline it here, box the vector argument and run parts of exp through
 * the Vector API's allocating Java fallbacks (seen in JFR allocation samples of the ViT importance
 * pass). The price is that the two block methods repeat the lines that compute {@code exp(-u^2/2)} and
 * {@code H(u)}; the results are bit-identical to calling exp. Tails go through the same block method on a padded
 * copy, so every element gets bit-for-bit the same function wherever it sits.
 */
final class GeluLanes {
    private GeluLanes() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** {@code out = gelu(x)} over {@code n} elements. */
    static void map(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = S.loopBound(n);
        geluBlocks(x, xOff, out, outOff, i);
        if (i < n) {
            float[] pad = new float[L];
            System.arraycopy(x, xOff + i, pad, 0, n - i);
            geluBlocks(pad, 0, pad, 0, L);
            System.arraycopy(pad, 0, out, outOff + i, n - i);
        }
    }

    /** {@code out = g * gelu'(x)} over {@code n} elements (the product rounded once more, as the scalar provider). */
    static void mapBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        int i = S.loopBound(n);
        backwardBlocks(x, xOff, g, gOff, out, outOff, i);
        if (i < n) {
            float[] px = new float[L];
            float[] pg = new float[L];
            System.arraycopy(x, xOff + i, px, 0, n - i);
            System.arraycopy(g, gOff + i, pg, 0, n - i);
            backwardBlocks(px, 0, pg, 0, pg, 0, L);
            System.arraycopy(pg, 0, out, outOff + i, n - i);
        }
    }

    /**
     * {@code count} elements (a multiple of the lane count) of {@code x Phi(x)}, one vector at a time, with {@code Phi(-u) = e H(u)}, {@code u = |x|} clamped to
     * {@link GeluApproximation#U_MAX}, {@code e = exp(-u^2/2)}:
     * <ul>
     *   <li>{@code e} with the rounding error of {@code u^2} put back: {@code u^2 = hi + lo} exactly (the
     *       fma gives {@code lo}), and {@code exp(-(hi + lo)/2) = exp(-hi/2) (1 - lo/2)} to within
     *       {@code lo^2/8 < 1e-10}. Without it, near {@code u = 10} the lost {@code lo} (up to
     *       {@code 2^-18}) would cost up to 2e-6 relative, 16 to 32 float ulps;</li>
     *   <li>{@code H(u) = P(T)/(K + u)}, {@code T = (K - u)/(K + u)}, by Horner's rule;</li>
     *   <li>{@code Phi(x) = e H} for {@code x <= 0} and {@code 1 - e H} for {@code x > 0}.</li>
     * </ul>
     */
    private static void geluBlocks(float[] x, int xOff, float[] out, int outOff, int count) {
        for (int i = 0; i < count; i += L) {
            int xi = xOff + i;
            int oi = outOff + i;
            FloatVector v = FloatVector.fromArray(S, x, xi);
            FloatVector u = v.abs().min(U_MAX);
            FloatVector hi = u.mul(u);
            FloatVector lo = u.fma(u, hi.neg());
            // e0 = exp(-hi/2) with VectorMath.exp's operations, written out (see the class comment); the
            // argument is <= 0 or NaN, so exp's overflow blend could never fire and is left out.
            FloatVector arg = hi.mul(-0.5f);
            FloatVector clamped = arg.max(EXP_MIN);
            FloatVector rounded = clamped.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
            FloatVector nf = rounded.sub(ROUNDER);
            IntVector n = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
            FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), clamped);
            r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector q = FloatVector.broadcast(S, 1f / 5040f);
            q = q.fma(r, FloatVector.broadcast(S, 1f / 720f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 120f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 24f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 6f));
            q = q.fma(r, FloatVector.broadcast(S, 0.5f));
            q = q.fma(r, FloatVector.broadcast(S, 1f));
            q = q.fma(r, FloatVector.broadcast(S, 1f));
            IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = n.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e0 = q.mul(s1).mul(s2).blend(0f, arg.compare(VectorOperators.LT, EXP_MIN));
            FloatVector e = e0.fma(lo.mul(-0.5f), e0);
            FloatVector inv = FloatVector.broadcast(S, 1f).div(u.add(K));
            FloatVector t = FloatVector.broadcast(S, K).sub(u).mul(inv);
            FloatVector p = t.fma(P9, P8);
            p = p.fma(t, FloatVector.broadcast(S, P7));
            p = p.fma(t, FloatVector.broadcast(S, P6));
            p = p.fma(t, FloatVector.broadcast(S, P5));
            p = p.fma(t, FloatVector.broadcast(S, P4));
            p = p.fma(t, FloatVector.broadcast(S, P3));
            p = p.fma(t, FloatVector.broadcast(S, P2));
            p = p.fma(t, FloatVector.broadcast(S, P1));
            p = p.fma(t, FloatVector.broadcast(S, P0));
            FloatVector tail = e.mul(p.mul(inv)); // Phi(-|x|)
            FloatVector cdf = tail.blend(FloatVector.broadcast(S, 1f).sub(tail), v.compare(VectorOperators.GT, 0f));
            v.mul(cdf).intoArray(out, oi);
        }
    }

    /**
     * {@code count} elements (a multiple of the lane count) of {@code g (Phi(x) + x phi(x))}, {@code phi(x) = e/sqrt(2 pi)}, with {@code e} and
     * {@code H} as in {@link #geluBlocks}, grouped around the shared factor {@code e}: {@code e (H + c x)}
     * for {@code x <= 0} and {@code 1 + e (c x - H)} for {@code x > 0}, {@code c = 1/sqrt(2 pi)}. The
     * unclamped {@code x} goes into {@code c x}, so infinities give {@code 0 * inf = NaN}, as PyTorch. Far
     * left, where {@code e} underflows, the result is {@code -0}, the sign of the true (negative) value, as
     * the scalar provider; PyTorch gives {@code +0} there ({@code Phi = +0} plus {@code x phi = -0}).
     */
    private static void backwardBlocks(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int count) {
        for (int i = 0; i < count; i += L) {
            int xi = xOff + i;
            int gi = gOff + i;
            int oi = outOff + i;
            FloatVector v = FloatVector.fromArray(S, x, xi);
            FloatVector u = v.abs().min(U_MAX);
            FloatVector hi = u.mul(u);
            FloatVector lo = u.fma(u, hi.neg());
            // e0 = exp(-hi/2) with VectorMath.exp's operations, written out (see the class comment); the
            // argument is <= 0 or NaN, so exp's overflow blend could never fire and is left out.
            FloatVector arg = hi.mul(-0.5f);
            FloatVector clamped = arg.max(EXP_MIN);
            FloatVector rounded = clamped.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
            FloatVector nf = rounded.sub(ROUNDER);
            IntVector n = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
            FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), clamped);
            r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector q = FloatVector.broadcast(S, 1f / 5040f);
            q = q.fma(r, FloatVector.broadcast(S, 1f / 720f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 120f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 24f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 6f));
            q = q.fma(r, FloatVector.broadcast(S, 0.5f));
            q = q.fma(r, FloatVector.broadcast(S, 1f));
            q = q.fma(r, FloatVector.broadcast(S, 1f));
            IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = n.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e0 = q.mul(s1).mul(s2).blend(0f, arg.compare(VectorOperators.LT, EXP_MIN));
            FloatVector e = e0.fma(lo.mul(-0.5f), e0);
            FloatVector inv = FloatVector.broadcast(S, 1f).div(u.add(K));
            FloatVector t = FloatVector.broadcast(S, K).sub(u).mul(inv);
            FloatVector p = t.fma(P9, P8);
            p = p.fma(t, FloatVector.broadcast(S, P7));
            p = p.fma(t, FloatVector.broadcast(S, P6));
            p = p.fma(t, FloatVector.broadcast(S, P5));
            p = p.fma(t, FloatVector.broadcast(S, P4));
            p = p.fma(t, FloatVector.broadcast(S, P3));
            p = p.fma(t, FloatVector.broadcast(S, P2));
            p = p.fma(t, FloatVector.broadcast(S, P1));
            p = p.fma(t, FloatVector.broadcast(S, P0));
            FloatVector h = p.mul(inv);
            FloatVector c = FloatVector.broadcast(S, INV_SQRT_2PI);
            FloatVector negativeSide = e.mul(v.fma(c, h));
            FloatVector positiveSide = e.fma(v.fma(c, h.neg()), FloatVector.broadcast(S, 1f));
            FloatVector derivative = negativeSide.blend(positiveSide, v.compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, g, gi).mul(derivative).intoArray(out, oi);
        }
    }
}
