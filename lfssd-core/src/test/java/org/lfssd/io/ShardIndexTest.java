package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

class ShardIndexTest {
    @TempDir
    Path dir;

    private SafeTensorsException rejects(String weightMap, String expected) throws IOException {
        Path index = Files.createDirectories(dir.resolve("model")).resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"weight_map\": " + weightMap + "}");
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readSharded(index));
        assertTrue(e.getMessage().contains(index.toString()) && e.getMessage().contains(expected), e.getMessage());
        return e;
    }

    /** Regression: "" resolved to the index's folder itself. */
    @Test
    void anEmptyShardNameIsRefused() throws IOException {
        rejects("{\"w\": \"\"}", "empty shard file name");
        rejects("{\"w\": \".\"}", "outside the index's directory");
    }

    /** Regression: a symbolic link inside the folder was followed to a file outside it. */
    @Test
    void aShardLinkingOutsideTheFolderIsRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("elsewhere")).resolve("secret.safetensors");
        SafeTensors.write(outside, Map.of("w", Tensor.ones(1)), Map.of());
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.createSymbolicLink(model.resolve("shard.safetensors"), outside);
        rejects("{\"w\": \"shard.safetensors\"}", "outside the index's directory");
    }

    @Test
    void aMissingShardIsNamed() throws IOException {
        rejects("{\"w\": \"nowhere.safetensors\"}", "'nowhere.safetensors' does not exist");
    }
}
