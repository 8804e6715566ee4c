package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Batches;
import org.lfssd.kernels.Parallel;
import org.lfssd.models.ResNet18;
import org.lfssd.models.ViTConfig;
import org.lfssd.models.VisionTransformer;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * The pass computes each batch's gradient on shards of the batch ({@code lfssd.shards}) and sums them: Ω must
 * be the same bits on 1, 2 and 3 threads, and agree with the unsharded pass ({@code lfssd.shards=1}) to float
 * rounding, since only the order of the additions over samples differs. Seven images in batches of five
 * (shards of 2 and 3, then a last batch of 2).
 */
class ShardedImportanceTest {
    private static final int IMAGES = 7;
    private static final int BATCH = 5;

    @Test
    void resnet18() {
        ResNet18 model = new ResNet18(10, new SplittableRandom(31));
        Tensor x = Tensor.randn(new SplittableRandom(32), 0f, 1f, IMAGES, 3, 32, 32);
        check(model, new Batches(x, labels(), BATCH), Unlearner.lfssd().build(), Unlearner.ssd().build());
    }

    @Test
    void vit() {
        VisionTransformer model = new VisionTransformer(ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3), new SplittableRandom(33));
        Tensor x = Tensor.randn(new SplittableRandom(34), 0f, 1f, IMAGES, 3, 16, 16);
        check(model, new Batches(x, labels(), BATCH), Unlearner.lfssd().build(), Unlearner.ssd().build());
    }

    private static int[] labels() {
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (7 * i + 1) % 10;
        }
        return labels;
    }

    private static void check(Module model, Batches batches, Unlearner... unlearners) {
        for (Unlearner u : unlearners) {
            Importance unsharded = with("1", 2, () -> u.importance(model, batches));
            Importance oneThread = with("2", 1, () -> u.importance(model, batches));
            for (int threads : new int[] {2, 3}) {
                Importance other = with("2", threads, () -> u.importance(model, batches));
                for (String name : oneThread.parameterNames()) {
                    assertArrayEquals(bits(oneThread.get(name)), bits(other.get(name)),
                            u.method() + " Ω of " + name + ", 2 shards, 1 vs " + threads + " threads");
                }
            }
            for (Map.Entry<String, Tensor> e : unsharded.values().entrySet()) {
                float[] expected = e.getValue().toArray();
                float[] actual = oneThread.get(e.getKey()).toArray();
                double scale = 0;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < expected.length; i++) {
                    // A different order of float additions over the batch's samples, nothing else.
                    assertEquals(expected[i], actual[i], 1e-5 * scale,
                            u.method() + " Ω of " + e.getKey() + "[" + i + "], 2 shards vs 1");
                }
            }
        }
    }

    private static int[] bits(Tensor t) {
        float[] v = t.toArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    private static Importance with(String shards, int threads, Supplier<Importance> pass) {
        String before = System.getProperty("lfssd.shards");
        int threadsBefore = Parallel.threads();
        System.setProperty("lfssd.shards", shards);
        Parallel.setThreads(threads);
        try {
            return pass.get();
        } finally {
            Parallel.setThreads(threadsBefore);
            if (before == null) {
                System.clearProperty("lfssd.shards");
            } else {
                System.setProperty("lfssd.shards", before);
            }
        }
    }
}
