package org.lfssd.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lfssd.nn.Module;

/** Loads a checkpoint the tool wrote, as the tool does. */
final class ModelLoading {
    private ModelLoading() {}

    static Module load(Path file) throws IOException {
        return Checkpoint.load(file, new ModelOptions(), 10).model();
    }
}
