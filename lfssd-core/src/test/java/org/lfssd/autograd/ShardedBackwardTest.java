package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.StepArena;
import org.lfssd.tensor.Tensor;

/**
 * {@link ShardedBackward}: the shards' summed gradient is the batch gradient (to float rounding), and its
 * bits depend on the shard count only, not on the thread count or the schedule.
 */
class ShardedBackwardTest {
    private static final int BATCH = 7;

    /** A small convolutional model: conv 3x3 (3 -> 4) + ReLU, flatten, linear to 5 logits; and a leaf it never uses. */
    private static final class Model {
        final Var w1;
        final Var b1;
        final Var w2;
        final Var b2;
        final Var unused = Var.param(Tensor.ones(3));
        final Tensor images;

        Model(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            w1 = Var.param(Tensor.randn(rng, 0f, 0.3f, 4, 3, 3, 3));
            b1 = Var.param(Tensor.randn(rng, 0f, 0.1f, 4));
            w2 = Var.param(Tensor.randn(rng, 0f, 0.2f, 5, 4 * 6 * 6));
            b2 = Var.param(Tensor.randn(rng, 0f, 0.1f, 5));
            images = Tensor.randn(rng, 0f, 1f, BATCH, 3, 6, 6);
        }

        List<Var> leaves() {
            return List.of(w1, b1, w2, b2, unused);
        }

        Var logits(Tensor x) {
            Var h = F.relu(F.conv2d(Var.constant(x), w1, b1, 1, 1));
            return F.linear(F.flatten(h, 1), w2, b2);
        }
    }

    private static float[][] sharded(Model m, int shards, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try (ShardedBackward sb = new ShardedBackward(m.leaves(), BATCH, shards)) {
            float[][] out = null;
            for (int step = 0; step < 2; step++) { // the second step reuses the arenas and buffers
                sb.run((s, start, end) -> F.meanSquaredNorm(m.logits(m.images.sliceBatch(start, end)), BATCH));
                out = new float[4][];
                for (int i = 0; i < 4; i++) {
                    out[i] = sb.gradient(i).toArray();
                }
                assertNull(sb.gradient(4), "a leaf no shard reaches has no gradient");
            }
            return out;
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void summedShardGradientsAreTheBatchGradient() {
        Model m = new Model(21);
        F.meanSquaredNorm(m.logits(m.images)).backward();
        List<Var> leaves = m.leaves();
        for (int shards : new int[] {2, 3, BATCH}) {
            float[][] g = sharded(m, shards, 2);
            for (int i = 0; i < 4; i++) {
                float[] expected = leaves.get(i).grad().toArray();
                double scale = 0;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int j = 0; j < expected.length; j++) {
                    // Only the order of the additions over samples differs: float rounding of the sums.
                    assertEquals(expected[j], g[i][j], 1e-5 * scale, shards + " shards, leaf " + i + " element " + j);
                }
            }
        }
    }

    @Test
    void oneShardIsTheBatchGradientBitForBit() {
        Model m = new Model(22);
        F.meanSquaredNorm(m.logits(m.images)).backward();
        float[][] g = sharded(m, 1, 2);
        List<Var> leaves = m.leaves();
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(leaves.get(i).grad().toArray(), g[i], "leaf " + i);
        }
    }

    @Test
    void bitsDependOnTheShardCountNotOnThreads() {
        Model m = new Model(23);
        for (int shards : new int[] {2, 3}) {
            float[][] one = sharded(m, shards, 1);
            for (int threads : new int[] {2, 3, 4}) { // 4 threads > 3 shards: the shards run one after another
                float[][] other = sharded(m, shards, threads);
                for (int i = 0; i < 4; i++) {
                    assertArrayEquals(one[i], other[i], shards + " shards, " + threads + " threads, leaf " + i);
                }
            }
        }
    }

    @Test
    void shardBoundsDependOnTheBatchOnlyAndCountIsCapped() {
        Model m = new Model(24);
        try (ShardedBackward sb = new ShardedBackward(m.leaves(), BATCH, 3)) {
            assertEquals(3, sb.shards());
            assertArrayEquals(new int[] {0, 2, 4, 7}, new int[] {sb.start(0), sb.start(1), sb.start(2), sb.start(3)});
        }
        try (ShardedBackward sb = new ShardedBackward(m.leaves(), 2, 5)) {
            assertEquals(2, sb.shards());
        }
        assertThrows(IllegalArgumentException.class, () -> new ShardedBackward(m.leaves(), 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new ShardedBackward(m.leaves(), 4, 0));
    }

    @Test
    void lossValuesAddUpToTheBatchLossAndLeafFieldsStayEmpty() {
        Model m = new Model(25);
        float batchLoss = F.meanSquaredNorm(m.logits(m.images)).value().item();
        try (ShardedBackward sb = new ShardedBackward(m.leaves(), BATCH, 2)) {
            float[] losses = sb.run((s, start, end) -> F.meanSquaredNorm(m.logits(m.images.sliceBatch(start, end)), BATCH));
            assertEquals(2, losses.length);
            assertEquals(batchLoss, losses[0] + losses[1], 1e-5f * batchLoss);
        }
        for (Var leaf : m.leaves()) {
            assertNull(leaf.grad(), "ShardedBackward writes no grad field");
        }
    }

    @Test
    void aFailingShardFailsTheRunAndTheNextRunWorks() {
        Model m = new Model(26);
        int before = Parallel.threads();
        Parallel.setThreads(2);
        try (ShardedBackward sb = new ShardedBackward(m.leaves(), BATCH, 2)) {
            AtomicBoolean fail = new AtomicBoolean(true);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> sb.run((s, start, end) -> {
                if (s == 1 && fail.get()) {
                    throw new IllegalStateException("shard one broke");
                }
                return F.meanSquaredNorm(m.logits(m.images.sliceBatch(start, end)), BATCH);
            }));
            assertEquals("shard one broke", e.getMessage());
            assertNull(StepArena.current(), "the shard's arena was left");
            fail.set(false);
            sb.run((s, start, end) -> F.meanSquaredNorm(m.logits(m.images.sliceBatch(start, end)), BATCH));
            assertEquals(4 * 3 * 3 * 3, sb.gradient(0).numel());
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aLossThatIsNotAScalarIsRefused() {
        Model m = new Model(27);
        try (ShardedBackward sb = new ShardedBackward(m.leaves(), BATCH, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sb.run((s, start, end) -> m.logits(m.images.sliceBatch(start, end))));
            assertTrue(e.getMessage().contains("must be a scalar"), e.getMessage());
        }
    }
}
