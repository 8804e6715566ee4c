package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public byte-array entry point: whole content or the old file, and no temporary file left behind. */
class AtomicFileWriteTest {
    @TempDir
    Path dir;

    @Test
    void writeCreatesThenReplacesWithoutLeftovers() throws IOException {
        Path f = dir.resolve("record.json");
        AtomicFileWrite.write(f, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
        AtomicFileWrite.write(f, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"v\":2}", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aFailingContentLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("report.html");
        byte[] old = "old".getBytes(StandardCharsets.UTF_8);
        AtomicFileWrite.write(f, old);
        IOException e = assertThrows(IOException.class, () -> AtomicFileWrite.replace(f, out -> {
            out.write(java.nio.ByteBuffer.wrap("half".getBytes(StandardCharsets.UTF_8)));
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains("report.html") && e.getMessage().contains("previous file is unchanged"),
                e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }
}
