package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** The losses' shard shares: {@code (1/batchSize) Σ} over a shard's rows, as {@link ShardedBackward} uses them. */
class LossShareOfBatchTest {
    private static final int[] LABELS = {1, 3, 1, 0, 1, 2, 0};

    @Test
    void shareOfTheWholeBatchIsTheMeanBitForBit() {
        Tensor x = Tensor.randn(new SplittableRandom(3), 0f, 1.5f, 7, 4);
        Var a = Var.param(x.copy());
        Var b = Var.param(x.copy());
        Var plain = F.meanSquaredNorm(a);
        Var share = F.meanSquaredNorm(b, 7);
        assertEquals(Float.floatToRawIntBits(plain.value().item()), Float.floatToRawIntBits(share.value().item()));
        plain.backward();
        share.backward();
        assertArrayEquals(a.grad().toArray(), b.grad().toArray());

        Var c = Var.param(x.copy());
        Var d = Var.param(x.copy());
        Var ce = F.crossEntropy(c, LABELS);
        Var ceShare = F.crossEntropy(d, LABELS, 7);
        assertEquals(Float.floatToRawIntBits(ce.value().item()), Float.floatToRawIntBits(ceShare.value().item()));
        ce.backward();
        ceShare.backward();
        assertArrayEquals(c.grad().toArray(), d.grad().toArray());
    }

    @Test
    void sharesOfTwoShardsAddUpToTheMean() {
        Tensor x = Tensor.randn(new SplittableRandom(4), 0f, 1f, 7, 4);
        double mean = F.meanSquaredNorm(Var.constant(x)).value().item();
        double shares = F.meanSquaredNorm(Var.constant(x.sliceBatch(0, 3)), 7).value().item()
                + F.meanSquaredNorm(Var.constant(x.sliceBatch(3, 7)), 7).value().item();
        assertEquals(mean, shares, 1e-6 * mean);

        double ce = F.crossEntropy(Var.constant(x), LABELS).value().item();
        double ceShares = F.crossEntropy(Var.constant(x.sliceBatch(0, 3)), Arrays.copyOfRange(LABELS, 0, 3), 7).value().item()
                + F.crossEntropy(Var.constant(x.sliceBatch(3, 7)), Arrays.copyOfRange(LABELS, 3, 7), 7).value().item();
        assertEquals(ce, ceShares, 1e-6 * ce);
    }

    @Test
    void shardGradientIsTheBatchGradientOfItsRows() {
        // d/dx_i of (1/B) Σ ||x||² is 2 x_i / B for a row of the shard, whatever the shard.
        Tensor x = Tensor.randn(new SplittableRandom(5), 0f, 1f, 7, 4);
        Var whole = Var.param(x.copy());
        F.meanSquaredNorm(whole).backward();
        Var shard = Var.param(x.sliceBatch(2, 5).copy());
        F.meanSquaredNorm(shard, 7).backward();
        float[] expected = Arrays.copyOfRange(whole.grad().toArray(), 2 * 4, 5 * 4);
        assertArrayEquals(expected, shard.grad().toArray());
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Tensor x = Tensor.randn(new SplittableRandom(6), 0f, 1f, 3, 5);
        GradCheck.check("meanSquaredNorm share", v -> F.meanSquaredNorm(v[0], 8), x);
        GradCheck.check("crossEntropy share", v -> F.crossEntropy(v[0], new int[] {4, 0, 2}, 8), x);
    }

    @Test
    void batchSmallerThanTheShardIsRefused() {
        Var x = Var.constant(Tensor.zeros(5, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.meanSquaredNorm(x, 4));
        assertTrue(e.getMessage().contains("meanSquaredNorm") && e.getMessage().contains("batch size 4")
                && e.getMessage().contains("[5, 3]"), e.getMessage());
        IllegalArgumentException ce = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(x, new int[] {0, 1, 2, 0, 1}, 2));
        assertTrue(ce.getMessage().contains("crossEntropy") && ce.getMessage().contains("batch size 2"), ce.getMessage());
    }
}
