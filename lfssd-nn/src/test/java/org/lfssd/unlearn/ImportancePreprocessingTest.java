package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

/** The preprocessing recorded with an Ω survives save/load, is checksummed, and must agree for a merge. */
class ImportancePreprocessingTest {
    private static final String PREP = "{\"channels\":3,\"pad\":2,\"mean\":[0.286],\"std\":[0.353]}";

    @TempDir
    Path dir;

    final UnlearnerPropertiesTest data = new UnlearnerPropertiesTest();

    @Test
    void recordedPreprocessingIsSavedAndLoaded() throws IOException {
        Importance omega = Unlearner.lfssd().build().importance(UnlearnerPropertiesTest.model(), data.full());
        assertEquals(Optional.empty(), omega.preprocessing());
        Importance tagged = omega.withPreprocessing(PREP);
        assertEquals(Optional.of(PREP), tagged.preprocessing());
        assertEquals(omega.elementCount(), tagged.elementCount());
        assertEquals(omega.weightHash(), tagged.weightHash());

        Path file = dir.resolve("omega.safetensors");
        tagged.save(file);
        assertEquals(PREP, SafeTensors.readMetadata(file).get("preprocessing"));
        assertEquals(Optional.of(PREP), Importance.load(file).preprocessing());

        Path untagged = dir.resolve("untagged.safetensors");
        omega.save(untagged);
        assertEquals(Optional.empty(), Importance.load(untagged).preprocessing());
    }

    @Test
    void editedPreprocessingFailsTheChecksum() throws IOException {
        Importance tagged = Unlearner.lfssd().build().importance(UnlearnerPropertiesTest.model(), data.full())
                .withPreprocessing(PREP);
        Path file = dir.resolve("omega.safetensors");
        tagged.save(file);
        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.readMetadata(file));
        meta.put("preprocessing", PREP.replace("0.286", "0.5"));
        Map<String, Tensor> tensors = SafeTensors.read(file);
        SafeTensors.write(file, tensors, meta);
        IOException e = assertThrows(IOException.class, () -> Importance.load(file));
        assertTrue(e.getMessage().contains("does not match its checksum"), e.getMessage());
    }

    @Test
    void mergeRequiresTheSamePreprocessing() {
        Unlearner u = Unlearner.lfssd().reduction(Reduction.PER_SAMPLE).build();
        TinyMlp model = UnlearnerPropertiesTest.model();
        Importance a = u.importance(model, data.full()).withPreprocessing(PREP);
        Importance b = u.importance(model, data.forgetSet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Importance.merge(a, b));
        assertTrue(e.getMessage().contains("differently preprocessed"), e.getMessage());
        assertEquals(Optional.of(PREP), Importance.merge(a, b.withPreprocessing(PREP)).preprocessing());
        assertThrows(IllegalArgumentException.class, () -> a.withPreprocessing(""));
    }
}
