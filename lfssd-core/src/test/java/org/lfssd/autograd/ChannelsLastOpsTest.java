package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfssd.autograd.ops.ConvOps;
import org.lfssd.autograd.ops.ConvOps.Algorithm;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * The channels-last ops ({@link F#toChannelsLast}, {@link F#toNchw}, {@link F#conv2dChannelsLast},
 * {@link F#batchNormEvalChannelsLast}) against the NCHW ops on the same values: the convolution forward and
 * its input and weight gradients bit for bit (same arithmetic, other layout), the BatchNorm's output and
 * input/residual gradients bit for bit and its gamma/beta gradients (sums in another order) to rounding;
 * their own gradient checks; the same bits on one and two threads.
 */
class ChannelsLastOpsTest {
    private static final float EPS = 1e-5f;

    private static Tensor cl(Tensor nchw) {
        return F.toChannelsLast(Var.constant(nchw)).value();
    }

    private static Tensor nchw(Tensor cl) {
        return F.toNchw(Var.constant(cl)).value();
    }

    @Test
    void layoutOpsAreInverseTransposes() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 0f, 1f, 2, 3, 4, 5);
        Tensor c = cl(x);
        assertArrayEquals(new int[] {2, 4, 5, 3}, c.shape());
        for (int n = 0; n < 2; n++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < 4; y++) {
                    for (int z = 0; z < 5; z++) {
                        assertTrue(x.get(n, ch, y, z) == c.get(n, y, z, ch));
                    }
                }
            }
        }
        assertArrayEquals(x.toArray(), nchw(c).toArray());
        GradCheck.check("toChannelsLast", v -> F.toChannelsLast(v[0]), x);
        GradCheck.check("toNchw", v -> F.toNchw(v[0]), c);
        assertThrows(IllegalArgumentException.class, () -> F.toChannelsLast(Var.constant(Tensor.zeros(2, 3))));
    }

    /** {y, dx, dw, db} of the NCHW conv (outputs in NCHW) or of the channels-last one (turned back to NCHW). */
    private static Tensor[] conv(boolean channelsLast, Algorithm algorithm, int n, int c, int h, int w, int o, int k,
                                 int stride, int pad, boolean bias) {
        SplittableRandom rng = new SplittableRandom(n * 1000L + c * 100L + h * 10L + k);
        Tensor xv = Tensor.randn(rng, 0f, 1f, n, c, h, w);
        Var wt = Var.param(Tensor.randn(rng, 0f, 0.3f, o, c, k, k));
        Var b = bias ? Var.param(Tensor.randn(rng, 0f, 1f, o)) : null;
        int ho = (h + 2 * pad - k) / stride + 1;
        int wo = (w + 2 * pad - k) / stride + 1;
        Tensor seed = Tensor.randn(rng, 0f, 1f, n, o, ho, wo);
        if (!channelsLast) {
            Var x = Var.param(xv);
            Var y = ConvOps.conv2d(x, wt, b, stride, pad, algorithm);
            y.backward(seed);
            return new Tensor[] {y.value(), x.grad(), wt.grad(), bias ? b.grad() : null};
        }
        Var x = Var.param(cl(xv));
        Var y = ConvOps.conv2dChannelsLast(x, wt, b, stride, pad, algorithm);
        y.backward(cl(seed));
        return new Tensor[] {nchw(y.value()), nchw(x.grad()), wt.grad(), bias ? b.grad() : null};
    }

    @ParameterizedTest(name = "{0} N={1} C={2} {3}x{4} O={5} k={6} s={7} p={8} bias={9}")
    @CsvSource({
        "DIRECT,   2, 5, 7, 6, 7, 3, 1, 1, false",
        "DIRECT,   1, 3, 9, 5, 4, 3, 2, 1, true",
        "DIRECT,   2, 6, 7, 7, 5, 1, 2, 0, false",
        "DIRECT,   1, 17, 5, 5, 33, 3, 1, 0, false",
        "DIRECT,   3, 16, 8, 8, 32, 1, 1, 0, true",
        "DIRECT,   2, 16, 8, 6, 32, 1, 2, 0, false",
        "DIRECT,   1, 16, 7, 5, 32, 1, 2, 0, false",
        "WINOGRAD, 2, 16, 6, 8, 32, 3, 1, 1, false",
        "WINOGRAD, 1, 5, 4, 4, 7, 3, 1, 1, true",
        "AUTO,     2, 32, 8, 8, 64, 3, 1, 1, false",
        "AUTO,     2, 32, 8, 8, 64, 3, 2, 1, false",
        "IM2COL,   2, 3, 5, 4, 4, 3, 1, 1, true",
    })
    void convolutionIsTheNchwOneBitForBit(Algorithm algorithm, int n, int c, int h, int w, int o, int k, int stride, int pad,
                                           boolean bias) {
        Tensor[] want = conv(false, algorithm, n, c, h, w, o, k, stride, pad, bias);
        Tensor[] got = conv(true, algorithm, n, c, h, w, o, k, stride, pad, bias);
        assertArrayEquals(want[0].toArray(), got[0].toArray(), "y");
        assertArrayEquals(want[1].toArray(), got[1].toArray(), "dx");
        assertArrayEquals(want[2].toArray(), got[2].toArray(), "dw");
        if (bias) {
            // The bias gradient sums pixels in another order: equal to rounding.
            float[] a = want[3].toArray();
            float[] b = got[3].toArray();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-5f * (1 + Math.abs(a[i])), "db[" + i + "] " + a[i] + " vs " + b[i]);
            }
        }
    }

    @Test
    void convolutionGradientChecks() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 5, 4, 3);   // [N, H, W, C]
        Tensor w = Tensor.randn(rng, 0f, 0.3f, 4, 3, 3, 3);
        Tensor b = Tensor.randn(rng, 0f, 1f, 4);
        for (Algorithm a : new Algorithm[] {Algorithm.DIRECT, Algorithm.IM2COL}) {
            GradCheck.check("conv2dChannelsLast " + a, v -> ConvOps.conv2dChannelsLast(v[0], v[1], v[2], 2, 1, a), x, w, b);
        }
        Tensor xe = Tensor.randn(rng, 0f, 1f, 1, 4, 6, 3);
        GradCheck.check("conv2dChannelsLast WINOGRAD",
                v -> ConvOps.conv2dChannelsLast(v[0], v[1], null, 1, 1, Algorithm.WINOGRAD), xe, w);
    }

    /** {y, dx, dgamma, dbeta, dresidual} of the NCHW ops (NCHW) or of the channels-last op (turned back). */
    private static Tensor[] batchNorm(boolean channelsLast, boolean residual, boolean relu, boolean affine, int n, int c,
                                      int h, int w) {
        SplittableRandom rng = new SplittableRandom(c * 31L + h);
        Tensor xv = Tensor.randn(rng, 0f, 1f, n, c, h, w);
        xv.data()[0] = 0f;
        Tensor rm = Tensor.uniform(rng, -0.5f, 0.5f, c);
        rm.data()[0] = 0f;
        Tensor rvar = Tensor.uniform(rng, 0.5f, 2f, c);
        Var gamma = affine ? Var.param(Tensor.uniform(rng, 0.5f, 1.5f, c)) : null;
        Var beta = affine ? Var.param(Tensor.uniform(rng, -0.3f, 0.3f, c)) : null;
        if (affine) {
            beta.value().data()[0] = 0f;
        }
        Tensor rv = residual ? Tensor.randn(rng, 0f, 1f, n, c, h, w) : null;
        Tensor seed = Tensor.randn(rng, 0f, 1f, n, c, h, w);
        Var x = Var.param(channelsLast ? cl(xv) : xv);
        Var r = residual ? Var.param(channelsLast ? cl(rv) : rv) : null;
        Var y;
        if (channelsLast) {
            y = F.batchNormEvalChannelsLast(x, gamma, beta, rm, rvar, EPS, r, relu);
            y.backward(cl(seed));
            return new Tensor[] {nchw(y.value()), nchw(x.grad()), affine ? gamma.grad() : null, affine ? beta.grad() : null,
                residual ? nchw(r.grad()) : null};
        }
        if (relu) {
            y = F.batchNormAddReluEval(x, gamma, beta, rm, rvar, EPS, r);
        } else {
            Var z = F.batchNorm2d(x, gamma, beta, rm, rvar, false, 0.1f, EPS);
            y = residual ? F.add(z, r) : z;
        }
        y.backward(seed);
        return new Tensor[] {y.value(), x.grad(), affine ? gamma.grad() : null, affine ? beta.grad() : null,
            residual ? r.grad() : null};
    }

    @ParameterizedTest(name = "residual={0} relu={1} affine={2} [{3},{4},{5},{6}]")
    @CsvSource({
        "false, true, true, 2, 3, 5, 7", "true, true, true, 2, 3, 5, 7", "true, false, true, 1, 5, 3, 3",
        "false, false, true, 3, 17, 1, 9", "false, false, false, 2, 16, 9, 9", "true, true, false, 1, 33, 4, 4",
        "true, true, true, 4, 64, 8, 8", "false, true, true, 1, 1, 1, 1", "false, true, true, 2, 64, 13, 11",
    })
    void batchNormIsTheNchwOneToRounding(boolean residual, boolean relu, boolean affine, int n, int c, int h, int w) {
        Tensor[] want = batchNorm(false, residual, relu, affine, n, c, h, w);
        Tensor[] got = batchNorm(true, residual, relu, affine, n, c, h, w);
        assertArrayEquals(want[0].toArray(), got[0].toArray(), "y");
        assertArrayEquals(want[1].toArray(), got[1].toArray(), "dx");
        if (residual) {
            assertArrayEquals(want[4].toArray(), got[4].toArray(), "dresidual");
        }
        if (affine) {
            for (int k = 2; k <= 3; k++) {
                float[] a = want[k].toArray();
                float[] b = got[k].toArray();
                for (int i = 0; i < a.length; i++) {
                    // Sums of up to 324 terms of magnitude about 1, in another order.
                    assertTrue(Math.abs(a[i] - b[i]) <= 2e-5f * (1 + Math.abs(a[i])),
                            (k == 2 ? "dgamma[" : "dbeta[") + i + "] " + a[i] + " vs " + b[i]);
                }
            }
        }
    }

    @Test
    void batchNormGradientChecks() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 4, 5);  // [N, H, W, C]
        Tensor g = Tensor.uniform(rng, 0.5f, 1.5f, 5);
        Tensor b = Tensor.uniform(rng, -0.3f, 0.3f, 5);
        Tensor r = Tensor.randn(rng, 0f, 1f, 2, 3, 4, 5);
        Tensor rm = Tensor.uniform(rng, -0.5f, 0.5f, 5);
        Tensor rvar = Tensor.uniform(rng, 0.5f, 2f, 5);
        // Keep every pre-activation (with and without the residual) away from the ReLU's kink, where
        // central differences with step 1e-2 are not the derivative.
        float[] xd = x.data();
        for (int i = 0; i < xd.length; i++) {
            int c = i % 5;
            float scale = g.data()[c] / (float) Math.sqrt(rvar.data()[c] + EPS);
            for (int tries = 0; tries < 8; tries++) {
                float v = (xd[i] - rm.data()[c]) * scale + b.data()[c];
                if (Math.abs(v) > 0.1f && Math.abs(v + r.data()[i]) > 0.1f) {
                    break;
                }
                xd[i] += 0.13f;
            }
        }
        for (boolean relu : new boolean[] {true, false}) {
            GradCheck.check("batchNormEvalChannelsLast relu=" + relu + " residual",
                    v -> F.batchNormEvalChannelsLast(v[0], v[1], v[2], rm, rvar, EPS, v[3], relu), x, g, b, r);
            GradCheck.check("batchNormEvalChannelsLast relu=" + relu,
                    v -> F.batchNormEvalChannelsLast(v[0], v[1], v[2], rm, rvar, EPS, null, relu), x, g, b);
        }
        assertThrows(IllegalArgumentException.class, () -> F.batchNormEvalChannelsLast(Var.constant(x), Var.constant(Tensor.ones(3)),
                null, rm, rvar, EPS, null, true));
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor[] bn1 = batchNorm(true, true, true, true, 5, 70, 9, 9);
            Tensor[] conv1 = conv(true, Algorithm.AUTO, 3, 32, 8, 8, 64, 3, 1, 1, false);
            Parallel.setThreads(2);
            Tensor[] bn2 = batchNorm(true, true, true, true, 5, 70, 9, 9);
            Tensor[] conv2 = conv(true, Algorithm.AUTO, 3, 32, 8, 8, 64, 3, 1, 1, false);
            for (int i = 0; i < bn1.length; i++) {
                assertArrayEquals(bn1[i].toArray(), bn2[i].toArray(), "batchNorm output " + i);
            }
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(conv1[i].toArray(), conv2[i].toArray(), "conv output " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
