package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.DType;
import org.lfssd.tensor.Tensor;

class CheckpointsTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Conv2d(3, 4, 3, 1, 1, false, rng), new BatchNorm2d(4), new Linear(4, 2, rng));
    }

    @Test
    void f32RoundTripIsExactAndKeepsTheCounter() throws IOException {
        Sequential a = model(1);
        a.stateDict().get("1.num_batches_tracked").fill(12345f);
        a.stateDict().get("1.running_var").fill(0.75f);
        Path file = dir.resolve("m.safetensors");
        Checkpoints.save(a, file, Map.of("note", "test"));
        Sequential b = model(2);
        assertTrue(Checkpoints.load(b, file, true).isExact());
        assertEquals(0f, StateDicts.maxAbsDifference(a.stateDict(), b.stateDict()));
        assertEquals(12345f, b.stateDict().get("1.num_batches_tracked").item());
    }

    @Test
    void halfPrecisionCheckpointsRoundEachValueOnce() throws IOException {
        Sequential a = model(3);
        for (DType t : new DType[] {DType.F16, DType.BF16}) {
            Path file = dir.resolve("m-" + t + ".safetensors");
            Checkpoints.save(a, file, t, null);
            Sequential b = model(4);
            Checkpoints.load(b, file, true);
            // Relative rounding error: 2^-11 for F16, 2^-8 for BF16 (values here are well inside F16's normal range).
            double eps = t == DType.F16 ? 0x1p-11 : 0x1p-8;
            for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
                float[] x = e.getValue().toArray();
                float[] y = b.stateDict().get(e.getKey()).toArray();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], y[i], eps * Math.abs(x[i]) + 1e-7, t + " " + e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void onlyFloatTypesAreAcceptedForWeights() {
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.save(model(5), dir.resolve("x.safetensors"), DType.I64, Map.of()));
    }

    @Test
    void strictLoadOfAnotherArchitectureFails() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoints.save(model(6), file, Map.of());
        SplittableRandom rng = new SplittableRandom(7);
        Sequential other = new Sequential(new Conv2d(3, 4, 3, 1, 1, false, rng), new BatchNorm2d(4), new ReLU(), new Linear(4, 2, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(other, file, true));
        assertTrue(e.getMessage().contains("3.weight") && e.getMessage().contains("2.weight"), e.getMessage());
    }
}
