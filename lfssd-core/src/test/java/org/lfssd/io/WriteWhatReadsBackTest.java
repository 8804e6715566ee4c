package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

/** The writer refuses, with the reason, whatever the reader would refuse; what it accepts reads back. */
class WriteWhatReadsBackTest {
    @TempDir
    Path dir;

    private IllegalArgumentException refused(Path f, Map<String, Tensor> tensors, Map<String, DType> dtypes,
                                             Map<String, String> metadata, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, tensors, dtypes, metadata));
        assertTrue(e.getMessage().contains(expected), "says '" + expected + "': " + e.getMessage());
        assertTrue(Files.notExists(f), "nothing is written");
        return e;
    }

    /** Regression: names over 50,000 characters were written and then refused by the reader's JSON limits. */
    @Test
    void tensorNamesUpToTheReaderLimitRoundTripAndLongerOnesAreRefused() throws IOException {
        Path f = dir.resolve("names.safetensors");
        String longest = "n".repeat(SafeTensorsHeader.MAX_NAME_CHARS);
        SafeTensors.write(f, Map.of(longest, Tensor.ones(1)), Map.of());
        assertEquals(longest, SafeTensors.open(f).names().get(0));
        Path g = dir.resolve("too-long.safetensors");
        refused(g, Map.of(longest + "n", Tensor.ones(1)), Map.of(), Map.of(), "more than the 50000");
        refused(g, Map.of("w", Tensor.ones(1)), Map.of(), Map.of(longest + "k", "v"), "metadata key");
    }

    /** Regression: metadata over 20 MB was written and then refused by the reader. */
    @Test
    void metadataValuesUpToTheReaderLimitRoundTripAndLongerOnesAreRefused() throws IOException {
        Path f = dir.resolve("meta.safetensors");
        String longest = "m".repeat(SafeTensorsHeader.MAX_STRING_CHARS);
        SafeTensors.write(f, Map.of("w", Tensor.ones(1)), Map.of("k", longest));
        assertEquals(longest, SafeTensors.readMetadata(f).get("k"));
        refused(dir.resolve("meta2.safetensors"), Map.of("w", Tensor.ones(1)), Map.of(), Map.of("k", longest + "m"),
                "metadata value of 'k'");
    }

    @Test
    void aHeaderOverTheLimitIsRefusedBeforeWriting() {
        String big = "v".repeat(SafeTensorsHeader.MAX_STRING_CHARS);
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            meta.put("k" + i, big);
        }
        refused(dir.resolve("header.safetensors"), Map.of("w", Tensor.ones(1)), Map.of(), meta, "100000000-byte limit");
    }

    /** Regression: I64 values above 2^24 were written but refused on reading; 1e30 was written as Long.MAX_VALUE. */
    @Test
    void int64ValuesTheReaderRefusesAreRefused() throws IOException {
        Path f = dir.resolve("ints.safetensors");
        float limit = 1 << 24;
        SafeTensors.write(f, Map.of("c", Tensor.fromArray(new float[] {limit, -limit}, 2)), Map.of("c", DType.I64), Map.of());
        assertArrayEquals(new float[] {limit, -limit}, SafeTensors.read(f).get("c").toArray());
        Path g = dir.resolve("ints2.safetensors");
        refused(g, Map.of("c", Tensor.fromArray(new float[] {0, limit + 2}, 2)), Map.of("c", DType.I64), Map.of(), "beyond the 2^24");
        refused(g, Map.of("c", Tensor.fromArray(new float[] {1e30f}, 1)), Map.of("c", DType.I64), Map.of(), "beyond the 2^24");
    }

    @Test
    void stringsWithoutAUtf8EncodingAreRefused() {
        Path f = dir.resolve("surrogate.safetensors");
        refused(f, Map.of("a\uD800b", Tensor.ones(1)), Map.of(), Map.of(), "lone UTF-16 surrogate at index 1");
        refused(f, Map.of("w", Tensor.ones(1)), Map.of(), Map.of("k", "\uDC00"), "lone UTF-16 surrogate at index 0");
    }

    @Test
    void unusualButValidNamesRoundTrip() throws IOException {
        Path f = dir.resolve("odd.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : new String[] {"", "line\nbreak", "tab\tquote\"back\\slash", "\u0000nul", "\uD83D\uDE00 emoji", " "}) {
            tensors.put(name, Tensor.ones(1));
        }
        SafeTensors.write(f, tensors, Map.of("\n", "\u0001"));
        assertEquals(tensors.keySet(), SafeTensors.read(f).keySet());
        assertEquals(Map.of("\n", "\u0001"), SafeTensors.readMetadata(f));
    }
}
