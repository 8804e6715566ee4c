package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

class IntegerCountersTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        SplittableRandom rng = new SplittableRandom(1);
        return new Sequential(new Conv2d(3, 4, 3, 1, 1, false, rng), new BatchNorm2d(4));
    }

    /** Regression: 2.5 from an F32 entry loaded into num_batches_tracked, and saving then failed. */
    @Test
    void aNonIntegerCounterIsRefusedAndTheModelUntouched() throws IOException {
        Sequential m = model();
        Map<String, Tensor> state = new LinkedHashMap<>(StateDicts.copy(m.stateDict()));
        state.put("1.num_batches_tracked", Tensor.full(2.5f));
        state.put("1.running_mean", Tensor.full(9f, 4));
        Path file = dir.resolve("float-counter.safetensors");
        SafeTensors.write(file, state, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(m, file, true));
        assertTrue(e.getMessage().contains("1.num_batches_tracked") && e.getMessage().contains("2.5"), e.getMessage());
        assertEquals(0f, m.stateDict().get("1.running_mean").get(0), "nothing was loaded");
        for (float bad : new float[] {Float.NaN, 1 << 25}) {
            state.put("1.num_batches_tracked", Tensor.full(bad));
            assertThrows(IllegalArgumentException.class, () -> StateDicts.load(m, state, false));
        }
        state.put("1.num_batches_tracked", Tensor.full(7f));
        StateDicts.load(m, state, true);
        Checkpoints.save(m, dir.resolve("ok.safetensors"), Map.of());
        assertEquals(7f, Checkpoints.read(dir.resolve("ok.safetensors")).get("1.num_batches_tracked").item());
    }

    /** Regression: Checkpoints.read of a root path threw a NullPointerException. */
    @Test
    void readingARootPathIsANamedError() {
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(Path.of("/")));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }
}
