package org.lfssd.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.FrozenParameters;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * Linear layers inside a {@link FrozenParameters} scope (weights packed once, products read the packed form)
 * against the same layers outside any scope (weights packed per product): the same bits for outputs and all
 * gradients, over two calls, on one and two threads; and the packed forms are derived once per scope and
 * really read from it.
 */
class WeightProductsTest {
    private static final int BATCH = 3;
    private static final int TOKENS = 65;
    private static final int IN = 33;
    private static final int HIDDEN = 197;

    private static Tensor[] inputs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Tensor[] {
            Tensor.randn(rng, 0f, 1f, BATCH, TOKENS, IN),
            Tensor.randn(rng, 0f, 0.2f, HIDDEN, IN),
            Tensor.randn(rng, 0f, 0.2f, HIDDEN),
            Tensor.randn(rng, 0f, 0.2f, IN, HIDDEN),
            Tensor.randn(rng, 0f, 0.2f, IN),
            Tensor.randn(rng, 0f, 1f, BATCH, TOKENS, IN)};
    }

    /** The layers under test, on parameters x, w1, b1, w2, b2: each uses both weights forward and backward. */
    private static final List<BiFunction<Var[], Boolean, Var>> LAYERS = List.of(
            (p, unused) -> LinearOps.linear(LinearOps.linear(p[0], p[1], p[2]), p[3], p[4]),
            (p, unused) -> LinearOps.linear(LinearOps.linearGelu(p[0], p[1], p[2]), p[3], p[4]),
            (p, unused) -> MlpOps.mlp(p[0], p[1], p[2], p[3], p[4]));

    /** Output and the five gradients of one layer, forward and backward, on the given parameter tensors. */
    private static float[][] run(BiFunction<Var[], Boolean, Var> layer, Tensor[] values, Tensor upstream) {
        Var[] p = new Var[5];
        for (int i = 0; i < 5; i++) {
            p[i] = Var.param(values[i]);
        }
        Var y = layer.apply(p, true);
        y.backward(upstream);
        float[][] r = new float[6][];
        r[0] = y.value().toArray();
        for (int i = 0; i < 5; i++) {
            r[i + 1] = p[i].grad().toArray();
        }
        return r;
    }

    private static Tensor[] copies(Tensor[] t) {
        Tensor[] c = new Tensor[5];
        for (int i = 0; i < 5; i++) {
            c[i] = t[i].copy();
        }
        return c;
    }

    private static void assertSameBits(float[][] expected, float[][] actual, String what) {
        String[] names = {"output", "dx", "dw1", "db1", "dw2", "db2"};
        for (int i = 0; i < names.length; i++) {
            assertArrayEquals(expected[i], actual[i], what + ": " + names[i]);
        }
    }

    @Test
    void insideAScopeTheLayersGiveTheSameBitsAsOutsideOverTwoCalls() {
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                for (int l = 0; l < LAYERS.size(); l++) {
                    Tensor[] t = inputs(40 + l);
                    Tensor[] params = copies(t);
                    float[][] outside = run(LAYERS.get(l), params, t[5]);
                    try (FrozenParameters scope = FrozenParameters.of(List.of(params[1], params[3]))) {
                        for (int call = 0; call < 2; call++) {
                            assertSameBits(outside, run(LAYERS.get(l), params, t[5]),
                                    "layer " + l + ", threads " + threads + ", call " + call + " in the scope");
                        }
                    }
                    assertSameBits(outside, run(LAYERS.get(l), params, t[5]), "layer " + l + " after the scope");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void theWeightsAreDerivedOncePerScopeAndBothSidesAreKept() {
        Tensor[] t = inputs(50);
        Tensor[] params = copies(t);
        Gemm gemm = Kernels.gemm();
        try (FrozenParameters scope = FrozenParameters.of(List.of(params[1], params[3]))) {
            run(LAYERS.get(0), params, t[5]);
            // Both weights now have both packed sides in the scope: asking again computes nothing.
            Gemm.PackedB[] forms = new Gemm.PackedB[4];
            for (int i = 0; i < 4; i++) {
                Tensor w = params[i < 2 ? 1 : 3];
                forms[i] = FrozenParameters.derived(w, new WeightProducts.PackedWeightKey(gemm, i % 2 == 0),
                        () -> fail("the layer should have derived this form"));
            }
            run(LAYERS.get(0), params, t[5]);
            for (int i = 0; i < 4; i++) {
                Tensor w = params[i < 2 ? 1 : 3];
                assertSame(forms[i], WeightProducts.packed(gemm, w, i % 2 == 0), "form " + i + " derived again");
            }
        }
    }

    /**
     * A layer in the scope reads the weight's packed form from the scope instead of packing the weight: with
     * a form of other weights planted first, the layer computes with those (here zeros, so the output is the bias).
     */
    @Test
    void theLayerReadsThePackedFormFromTheScope() {
        Tensor[] t = inputs(60);
        Tensor[] params = copies(t);
        Gemm gemm = Kernels.gemm();
        Tensor zeros = Tensor.zeros(HIDDEN, IN);
        try (FrozenParameters scope = FrozenParameters.of(List.of(params[1]))) {
            FrozenParameters.derived(params[1], new WeightProducts.PackedWeightKey(gemm, true),
                    () -> gemm.packB(true, IN, HIDDEN, zeros.data(), 0, IN));
            Var y = LinearOps.linear(Var.constant(params[0]), Var.constant(params[1]), Var.constant(params[2]));
            float[] bias = params[2].toArray();
            float[] out = y.value().toArray();
            for (int r = 0; r < BATCH * TOKENS; r++) {
                assertArrayEquals(bias, java.util.Arrays.copyOfRange(out, r * HIDDEN, (r + 1) * HIDDEN), "row " + r);
            }
        }
    }
}
