package org.lfssd.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;

/**
 * What the driver broadcasts: the architecture and the safetensors checkpoint as bytes, so executors need no
 * shared file system.
 */
final class ModelBytes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final byte[] checkpoint;

    ModelBytes(ModelSpec spec, byte[] checkpoint) {
        this.spec = spec;
        this.checkpoint = checkpoint;
    }

    /** The bytes of {@code model}'s checkpoint as {@link Checkpoints#save} writes it. */
    static byte[] checkpointOf(Module model) throws IOException {
        Path tmp = Files.createTempFile("lfssd-spark-model", ".safetensors");
        try {
            Checkpoints.save(model, tmp, Map.of());
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Builds the model and loads the checkpoint strictly. The checkpoint reader takes a file, so the bytes go
     * through a temporary file on the executor's local disk.
     */
    Module load() {
        Module model = spec.create();
        try {
            Path tmp = Files.createTempFile("lfssd-spark-model", ".safetensors");
            try {
                Files.write(tmp, checkpoint);
                Checkpoints.load(model, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("lfssd-spark: cannot load the broadcast checkpoint (" + checkpoint.length
                    + " bytes) into " + model.getClass().getSimpleName(), e);
        }
        return model;
    }
}
