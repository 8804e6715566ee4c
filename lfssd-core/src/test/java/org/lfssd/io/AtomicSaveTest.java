package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

/** Saving replaces the target atomically; readers see a whole old or a whole new file, or a named error. */
class AtomicSaveTest {
    @TempDir
    Path dir;

    /** A file whose every element, and whose metadata, say which version it is. */
    static void saveVersion(Path file, int version, int elements) throws IOException {
        Tensor a = Tensor.zeros(elements);
        Tensor b = Tensor.zeros(elements / 2);
        java.util.Arrays.fill(a.data(), version);
        java.util.Arrays.fill(b.data(), -version);
        SafeTensors.write(file, Map.of("a", a, "b", b), Map.of("version", Integer.toString(version)));
    }

    /** Reads {@code file} and returns its version, failing if any value disagrees with the metadata. */
    static int readVersion(Path file) throws IOException {
        try (SafeTensorsFile f = SafeTensors.open(file)) {
            int version = Integer.parseInt(f.metadata().get("version"));
            for (float v : f.tensor("a").toArray()) {
                assertEquals(version, v, "a mixes versions");
            }
            for (float v : f.tensor("b").toArray()) {
                assertEquals(-version, v, "b mixes versions");
            }
            return version;
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aSaveLeavesOnlyTheTargetBehind() throws IOException {
        Path f = dir.resolve("omega.safetensors");
        saveVersion(f, 1, 1000);
        saveVersion(f, 2, 1000);
        assertEquals(List.of(f), listing(), "no temporary file is left");
        assertEquals(2, readVersion(f));
    }

    /** Regression: readers of a file being rewritten saw empty or partial files, mixed values and VM errors. */
    @Test
    void concurrentReadersSeeOnlyWholeFiles() throws Exception {
        Path f = dir.resolve("shared.safetensors");
        saveVersion(f, 0, 1 << 16);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int v = 1; !stop.get(); v++) {
                    saveVersion(f, v, 1 << 16);
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        writer.start();
        List<Integer> seen = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < deadline || seen.size() < 50) {
                seen.add(readVersion(f)); // any exception here fails the test
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(null, writerFailure.get());
        assertTrue(seen.get(seen.size() - 1) > 0, "the writer made progress: " + seen.size() + " reads");
    }

    @Test
    void anOpenFileKeepsItsContentWhenTheTargetIsReplaced() throws IOException {
        Path f = dir.resolve("open.safetensors");
        saveVersion(f, 1, 4096);
        try (SafeTensorsFile open = SafeTensors.open(f)) {
            saveVersion(f, 2, 8192);
            assertEquals(1f, open.tensor("a").toArray()[4095]);
            assertEquals(4096, open.tensor("a").numel());
        }
        assertEquals(2, readVersion(f));
    }

    /** A file rewritten in place by another program is a named error, never a VM error or a silent mix. */
    @Test
    void aFileTruncatedUnderAnOpenReaderIsANamedError() throws IOException {
        Path f = dir.resolve("shrinking.safetensors");
        saveVersion(f, 1, 4096);
        try (SafeTensorsFile open = SafeTensorsFile.open(f, 64)) {
            try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                c.truncate(c.size() - 100);
            }
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> open.tensor("b"));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("changed size"), e.getMessage());
            assertEquals("b", e.tensor());
        }
    }

    @Test
    void savingThroughASymbolicLinkReplacesTheFileAndKeepsTheLinkAndPermissions() throws IOException {
        Path real = dir.resolve("real.safetensors");
        saveVersion(real, 1, 16);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), real.getFileName());
        saveVersion(link, 2, 16);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(2, readVersion(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(List.of(link, real), listing());
    }

    @Test
    void aFailedSaveNamesTheTargetAndLeavesNothing() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path target = sub.resolve("x.safetensors");
        Files.delete(sub); // the folder is gone: the temporary file cannot be created
        IOException e = assertThrows(IOException.class, () -> saveVersion(target, 1, 16));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("cannot save"), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder.safetensors"));
        e = assertThrows(IOException.class, () -> saveVersion(folder, 1, 16));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("directory"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aDirectoryIsNotReadAsAFile() throws IOException {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
