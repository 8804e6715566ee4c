package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

/** Reader behaviour at the edges, aligned with the reference reader (Hugging Face safetensors). */
class ReaderEdgeCasesTest {
    @TempDir
    Path dir;

    private static String entry(String shape, long begin, long end) {
        return "{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** Regression: unknown fields nested beyond serde_json's recursion limit were accepted. */
    @Test
    void unknownFieldsMayNestTo127LevelsAndNoDeeper() throws IOException {
        // The header object is level 1 and the entry level 2, so an unknown array adds 125 levels at most.
        Path ok = CorruptFiles.withHeader(dir, "deep-ok", "{\"t\":{\"x\":" + nested(125) + ",\"dtype\":\"F32\","
                + "\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        assertArrayEquals(new float[] {0f}, SafeTensors.read(ok).get("t").toArray());
        Path deep = CorruptFiles.withHeader(dir, "deep", "{\"t\":{\"x\":" + nested(126) + ",\"dtype\":\"F32\","
                + "\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(deep));
        assertTrue(e.getMessage().contains(deep.toString()) && e.getMessage().contains("nesting"), e.getMessage());
    }

    /** Regression: -0 was read as 0; the reference parses it as the float -0.0 and refuses it. */
    @Test
    void minusZeroIsNotAnInteger() throws IOException {
        for (String header : new String[] {
                "{\"t\":" + entry("[-0]", 0, 0) + "}",
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-0,0]}}"}) {
            Path f = CorruptFiles.withHeader(dir, "minus-zero", header, 0);
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
            assertTrue(e.getMessage().contains("-0 is not a non-negative 64-bit integer"), e.getMessage());
            assertEquals("t", e.tensor());
        }
    }

    /** The reference refuses a lone surrogate escape anywhere, even in an ignored field; so does this reader. */
    @Test
    void loneSurrogateEscapesAreRefusedWhereverTheyAre() throws IOException {
        String[] headers = {
                "{\"t\\ud800\":" + entry("[1]", 0, 4) + "}",
                "{\"t\":{\"x\":[\"\\udc00\"],\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                "{\"__metadata__\":{\"k\":\"\\ud800x\"},\"t\":" + entry("[1]", 0, 4) + "}"};
        for (String header : headers) {
            Path f = CorruptFiles.withHeader(dir, "surrogate", header, 4);
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f), header);
            assertTrue(e.getMessage().contains("lone UTF-16 surrogate"), e.getMessage());
        }
        Path pair = CorruptFiles.withHeader(dir, "pair", "{\"\\ud83d\\ude00\":" + entry("[1]", 0, 4) + "}", 4);
        assertEquals(java.util.Set.of("\ud83d\ude00"), SafeTensors.read(pair).keySet());
    }

    @Test
    void nullMetadataIsAbsentMetadataAsInTheReference() throws IOException {
        Path f = CorruptFiles.withHeader(dir, "null-meta", "{\"__metadata__\":null,\"t\":" + entry("[1]", 0, 4) + "}", 4);
        assertEquals(Map.of(), SafeTensors.readMetadata(f));
    }

    /** Regression: an empty tensor with large dimensions was refused as "more than 2^31 elements". */
    @Test
    void anEmptyTensorWithLargeDimensionsIsRead() throws IOException {
        Path f = CorruptFiles.withHeader(dir, "empty-big", "{\"e\":" + entry("[65536,65536,0]", 0, 0)
                + ",\"t\":" + entry("[1]", 0, 4) + "}", 4);
        Map<String, Tensor> read = SafeTensors.read(f);
        assertArrayEquals(new int[] {65536, 65536, 0}, read.get("e").shape());
        Path g = dir.resolve("empty-big-written.safetensors");
        SafeTensors.write(g, read, Map.of());
        assertArrayEquals(new int[] {65536, 65536, 0}, SafeTensors.read(g).get("e").shape());
    }

    /** Regression: a truncated file raised a bare EOFException without the file name. */
    @Test
    void aFileEndingInsideTheHeaderIsANamedError() throws IOException {
        Path f = CorruptFiles.raw(dir, "cut", 1000, "{\"t\":".getBytes(), new byte[0]);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    /**
     * Regression: a header cost 7-8 times its size in heap at once (a byte copy, a char copy, a String and
     * Jackson's copy) before a single entry was parsed. Now the text is streamed: what stays is the parsed
     * entries, here under 3 times the header's bytes, and a rejected header costs a bounded amount.
     */
    @Test
    void readingAHeaderCostsMemoryInProportionToWhatItDescribes() throws IOException {
        int n = 100_000;
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("\"layer.").append(i).append(".weight\":").append(entry("[1]", 4L * i, 4L * i + 4));
        }
        json.append('}');
        Path f = CorruptFiles.withHeader(dir, "many", json.toString(), 4 * n);
        json = null;
        long headerBytes = Files.size(f) - 4L * n;
        long before = usedHeapAfterGc();
        try (SafeTensorsFile file = SafeTensors.open(f)) {
            long retained = usedHeapAfterGc() - before;
            assertEquals(n, file.names().size());
            assertTrue(retained < 3 * headerBytes, "retained " + retained + " bytes for a header of " + headerBytes);
        }

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // A rejected header (one over-long string) costs a bounded amount, not a multiple of the header.
        String huge = "x".repeat(30_000_000);
        Path bad = CorruptFiles.withHeader(dir, "huge-string", "{\"__metadata__\":{\"k\":\"" + huge + "\"}}", 0);
        long allocatedBefore = mx.getCurrentThreadAllocatedBytes();
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(bad));
        long allocated = mx.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(e.getMessage().contains("parsing limit"), e.getMessage());
        assertTrue(allocated < 4L * SafeTensorsHeader.MAX_STRING_CHARS, "allocated " + allocated + " bytes to reject");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Narrowing saves that change values beyond rounding are reported with their counts. */
    @Test
    void lossyNarrowingIsLoggedWithTheCounts() throws IOException {
        Logger jul = Logger.getLogger(SafeTensorsWriter.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(capture);
        try {
            Path f = dir.resolve("half.safetensors");
            Tensor t = Tensor.fromArray(new float[] {1e5f, -7e4f, 1e-9f, 0.5f, 0f}, 5);
            SafeTensors.write(f, Map.of("w", t), Map.of("w", DType.F16), Map.of());
            assertEquals(1, records.size());
            String msg = records.get(0).getMessage();
            assertTrue(msg.contains(f.toString()) && msg.contains("'w' as F16") && msg.contains("2 finite value(s) became infinite")
                    && msg.contains("1 non-zero value(s) became zero"), msg);
            records.clear();
            SafeTensors.write(f, Map.of("w", Tensor.fromArray(new float[] {0.1f, 65504f}, 2)), Map.of("w", DType.F16), Map.of());
            assertEquals(0, records.size(), "ordinary rounding is not reported");
        } finally {
            jul.removeHandler(capture);
        }
    }
}
