package org.lfssd.cli;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lfssd.io.AtomicFileWrite;

/**
 * The files one command writes. Every path is checked before any work starts (an existing file is refused
 * unless {@code --force}, so nothing is clobbered by accident), every file is written atomically
 * ({@link AtomicFileWrite}: a temporary file in the same folder, then a rename), and if writing one of them
 * fails, the ones this command already created are removed again, so a failed command leaves no partial set.
 */
final class OutputFiles {
    private static final Logger LOG = System.getLogger(OutputFiles.class.getName());

    /** Writes one file's complete content to the given path (through {@link AtomicFileWrite}). */
    @FunctionalInterface
    interface Writer {
        void write(Path target) throws IOException;
    }

    private final boolean force;
    private final List<Path> planned = new ArrayList<>();
    private final List<Path> created = new ArrayList<>();

    OutputFiles(boolean force) {
        this.force = force;
    }

    /**
     * Registers an output; refuses one that exists (unless forced) or whose folder does not.
     *
     * @return {@code file}
     */
    Path plan(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.exists(abs) && !force) {
            throw new InputRejectedException(file + ": exists already; choose another output (-o) or pass --force to replace it");
        }
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InputRejectedException(file + ": the folder " + dir + " does not exist");
        }
        if (planned.contains(abs)) {
            throw new InputRejectedException(file + ": named twice as an output");
        }
        planned.add(abs);
        return file;
    }

    /** A path that may be replaced even though it exists (the input of {@code --in-place}). */
    Path planReplacement(Path file) {
        planned.add(file.toAbsolutePath().normalize());
        return file;
    }

    void write(Path file, Writer writer) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (!planned.contains(abs)) {
            throw new IllegalStateException("output " + file + " was not planned");
        }
        boolean existed = Files.exists(abs);
        writer.write(abs);
        if (!existed) {
            created.add(abs);
        }
    }

    void writeText(Path file, String text) throws IOException {
        write(file, p -> AtomicFileWrite.write(p, text.getBytes(StandardCharsets.UTF_8)));
    }

    void writeBytes(Path file, byte[] bytes) throws IOException {
        write(file, p -> AtomicFileWrite.write(p, bytes));
    }

    /** Removes the files this command created, after a failure part-way through writing them. */
    void rollBack() {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove {0} after a failed command: {1}", p, e);
            }
        }
        created.clear();
    }
}
