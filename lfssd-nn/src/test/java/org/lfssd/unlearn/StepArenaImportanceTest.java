package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Batches;
import org.lfssd.models.ResNet18;
import org.lfssd.models.ViTConfig;
import org.lfssd.models.VisionTransformer;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * The pass hands each batch's arrays to the next ({@code StepArena}); that must not change a bit of Ω. In
 * {@code lfssd.arena=checked} every freed array is filled with NaN, so an op that reads an element of an
 * uninitialized output before writing it, or a tensor kept past its step, would show up here as NaN or as
 * a different Ω. Six images in batches of four: the short last batch changes every shape once.
 */
class StepArenaImportanceTest {
    private static final int IMAGES = 6;
    private static final int BATCH = 4;

    @Test
    void resnet18ImportanceIsTheSameWithArraysReused() {
        ResNet18 model = new ResNet18(10, new SplittableRandom(3));
        Tensor x = Tensor.randn(new SplittableRandom(4), 0f, 1f, IMAGES, 3, 32, 32);
        assertSameWithAndWithoutArena(model, new Batches(x, labels(), BATCH),
                Unlearner.lfssd().build(), Unlearner.ssd().build());
    }

    @Test
    void vitImportanceIsTheSameWithArraysReused() {
        VisionTransformer model = new VisionTransformer(ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3), new SplittableRandom(5));
        Tensor x = Tensor.randn(new SplittableRandom(6), 0f, 1f, IMAGES, 3, 16, 16);
        assertSameWithAndWithoutArena(model, new Batches(x, labels(), BATCH),
                Unlearner.lfssd().build(), Unlearner.ssd().build(), Unlearner.lfssd().reduction(Reduction.PER_SAMPLE).build());
    }

    private static int[] labels() {
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (3 * i) % 10;
        }
        return labels;
    }

    private static void assertSameWithAndWithoutArena(Module model, Batches batches, Unlearner... unlearners) {
        for (Unlearner u : unlearners) {
            Importance plain = withArena("off", () -> u.importance(model, batches));
            Importance reused = withArena("checked", () -> u.importance(model, batches));
            assertEquals(plain.parameterNames(), reused.parameterNames());
            for (Map.Entry<String, Tensor> e : plain.values().entrySet()) {
                float[] expected = e.getValue().toArray();
                float[] actual = reused.get(e.getKey()).toArray();
                int[] expectedBits = new int[expected.length];
                int[] actualBits = new int[actual.length];
                for (int i = 0; i < expected.length; i++) {
                    expectedBits[i] = Float.floatToRawIntBits(expected[i]);
                    actualBits[i] = Float.floatToRawIntBits(actual[i]);
                }
                assertArrayEquals(expectedBits, actualBits, u.method() + "/" + u.reduction() + " Ω of " + e.getKey() + " with arrays reused");
            }
        }
    }

    private static Importance withArena(String mode, java.util.function.Supplier<Importance> pass) {
        String before = System.getProperty("lfssd.arena");
        System.setProperty("lfssd.arena", mode);
        try {
            return pass.get();
        } finally {
            if (before == null) {
                System.clearProperty("lfssd.arena");
            } else {
                System.setProperty("lfssd.arena", before);
            }
        }
    }
}
