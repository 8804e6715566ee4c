package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.GradCheck;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** Module wiring checked by hand: what each layer feeds to its ops and how shapes flow. */
class LayersTest {
    private static final float TOL = 1e-5f;

    @Test
    void linearActsOnTheLastDimensionOfTokens() {
        Linear lin = new Linear(2, 2, true, new SplittableRandom(1));
        lin.weight().value().copyFrom(Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2));
        lin.bias().value().copyFrom(Tensor.fromArray(new float[] {0.5f, -1}, 2));
        Tensor x = Tensor.fromArray(new float[] {1, 1, 2, -1, 0, 3}, 1, 3, 2);
        // rows: [1,1] -> [1+2+.5, 3+4-1]; [2,-1] -> [0+.5, 2-1]; [0,3] -> [6+.5, 12-1]
        assertArrayEquals(new float[] {3.5f, 6, 0.5f, 1, 6.5f, 11}, lin.forward(Var.constant(x)).value().toArray(), TOL);
    }

    @Test
    void patchEmbedTurnsPatchesIntoTokens() {
        PatchEmbed pe = new PatchEmbed(4, 2, 1, 3, new SplittableRandom(2));
        Tensor img = Tensor.randn(new SplittableRandom(3), 0f, 1f, 2, 1, 4, 4);
        Tensor tokens = pe.forward(Var.constant(img)).value();
        assertArrayEquals(new int[] {2, 4, 3}, tokens.shape());
        // Token 1 of image 1 is the top-right patch: rows 0-1, columns 2-3.
        Tensor w = pe.proj().weight().value();
        Tensor b = pe.proj().bias().value();
        for (int d = 0; d < 3; d++) {
            float expected = b.get(d);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    expected += w.get(d, 0, i, j) * img.get(1, 0, i, 2 + j);
                }
            }
            assertEquals(expected, tokens.get(1, 1, d), TOL);
        }
        assertThrows(IllegalArgumentException.class, () -> pe.forward(Var.constant(Tensor.zeros(1, 1, 6, 6))));
    }

    @Test
    void attentionOverOneTokenIsTheProjectedValue() {
        // With a single token softmax is 1, so attn(x) = proj(v) with v the last third of qkv(x).
        Attention attn = new Attention(4, 2, true, new SplittableRandom(4));
        Tensor x = Tensor.randn(new SplittableRandom(5), 0f, 1f, 1, 1, 4);
        Tensor out = attn.forward(Var.constant(x)).value();
        Tensor wqkv = attn.qkv().weight().value();
        Tensor bqkv = attn.qkv().bias().value();
        float[] v = new float[4];
        for (int o = 0; o < 4; o++) {
            v[o] = bqkv.get(8 + o);
            for (int i = 0; i < 4; i++) {
                v[o] += wqkv.get(8 + o, i) * x.get(0, 0, i);
            }
        }
        Tensor wp = attn.proj().weight().value();
        Tensor bp = attn.proj().bias().value();
        for (int o = 0; o < 4; o++) {
            float expected = bp.get(o);
            for (int i = 0; i < 4; i++) {
                expected += wp.get(o, i) * v[i];
            }
            assertEquals(expected, out.get(0, 0, o), TOL);
        }
    }

    @Test
    void attentionMixesTokensPerHead() {
        // Swapping two tokens permutes the output rows the same way (no position information inside attention).
        Attention attn = new Attention(6, 3, true, new SplittableRandom(6));
        Tensor x = Tensor.randn(new SplittableRandom(7), 0f, 1f, 1, 3, 6);
        Tensor swapped = x.copy();
        for (int c = 0; c < 6; c++) {
            swapped.set(x.get(0, 0, c), 0, 2, c);
            swapped.set(x.get(0, 2, c), 0, 0, c);
        }
        Tensor a = attn.forward(Var.constant(x)).value();
        Tensor b = attn.forward(Var.constant(swapped)).value();
        for (int c = 0; c < 6; c++) {
            assertEquals(a.get(0, 0, c), b.get(0, 2, c), TOL);
            assertEquals(a.get(0, 1, c), b.get(0, 1, c), TOL);
        }
    }

    @Test
    void blockGradientMatchesCentralDifferences() {
        // Two tokens of width 4 through norm1/attn/norm2/mlp. GradCheck's defaults (h 1e-2, atol 2e-3,
        // rtol 1e-2) suit this smooth float32 function of inputs of order 1.
        Block block = new Block(4, 2, 8, 1e-6f, new SplittableRandom(8));
        Tensor x = Tensor.randn(new SplittableRandom(9), 0f, 1f, 1, 2, 4);
        GradCheck.check("Block", in -> block.forward(in[0]), x);
    }

    @Test
    @SuppressWarnings("try") // the grad-mode scope is only opened and closed
    void batchNormCountsOnlyTrainingBatches() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = Tensor.randn(new SplittableRandom(10), 1f, 2f, 3, 2, 2, 2);
        try (GradMode g = GradMode.disabled()) {
            bn.forward(Var.constant(x));
            bn.forward(Var.constant(x));
            bn.eval();
            bn.forward(Var.constant(x));
        }
        assertEquals(2L, bn.numBatchesTracked());
        // Two momentum-0.1 updates towards the same batch mean m: 0.1·m, then 0.9·0.1·m + 0.1·m = 0.19·m.
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 4; i++) {
                    mean += x.get(n, c, i / 2, i % 2);
                }
            }
            mean /= 12;
            assertEquals(0.19 * mean, bn.runningMean().get(c), 1e-6);
        }
    }

    @Test
    void resNetStyleStackHasPyTorchOutputShapes() {
        SplittableRandom rng = new SplittableRandom(11);
        Sequential net = new Sequential(new Conv2d(3, 4, 3, 2, 1, false, rng), new BatchNorm2d(4), new ReLU(),
                new AdaptiveAvgPool2d(), new Flatten(), new Linear(4, 5, rng));
        net.eval();
        Tensor out = net.forward(Var.constant(Tensor.randn(new SplittableRandom(12), 0f, 1f, 2, 3, 7, 7))).value();
        assertArrayEquals(new int[] {2, 5}, out.shape());
    }
}
