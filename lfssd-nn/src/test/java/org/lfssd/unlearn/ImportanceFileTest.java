package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

/** Saving Ω_D with its provenance and using it later gives exactly the in-memory result. */
class ImportanceFileTest {
    @TempDir
    Path dir;

    final UnlearnerPropertiesTest data = new UnlearnerPropertiesTest();

    @Test
    void saveLoadForgetEqualsInMemory() throws IOException {
        TinyMlp inMemory = UnlearnerPropertiesTest.model();
        TinyMlp fromFile = UnlearnerPropertiesTest.model();
        Unlearner u = Unlearner.ssd().alpha(1.1).build();
        Importance omegaD = u.importance(inMemory, data.full());
        Path file = dir.resolve("omega_D.safetensors");
        omegaD.save(file);
        Importance loaded = Importance.load(file);

        assertEquals(List.copyOf(omegaD.parameterNames()), List.copyOf(loaded.parameterNames()));
        omegaD.values().forEach((n, t) -> assertArrayEquals(t.toArray(), loaded.get(n).toArray(), n));
        assertEquals(omegaD.method(), loaded.method());
        assertEquals(omegaD.reduction(), loaded.reduction());
        assertEquals(omegaD.batchSize(), loaded.batchSize());
        assertEquals(omegaD.sampleCount(), loaded.sampleCount());
        assertEquals(omegaD.batchCount(), loaded.batchCount());
        assertEquals(omegaD.weightHash(), loaded.weightHash());

        DampeningReport a = u.forget(inMemory, data.forgetSet(), omegaD);
        DampeningReport b = u.forget(fromFile, data.forgetSet(), loaded);
        assertTrue(a.totalSelected() > 0);
        assertEquals(a.totalSelected(), b.totalSelected());
        Map<String, float[]> wa = UnlearnerPropertiesTest.weights(inMemory);
        UnlearnerPropertiesTest.assertWeightsEqual(wa, fromFile);
    }

    @Test
    void refusesFilesThatAreNotImportances() throws IOException {
        Path file = dir.resolve("weights.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.zeros(2)), Map.of("format", "something-else"));
        IOException e = assertThrows(IOException.class, () -> Importance.load(file));
        assertTrue(e.getMessage().contains("weights.safetensors") && e.getMessage().contains("not an importance file"),
                e.getMessage());
    }
}
