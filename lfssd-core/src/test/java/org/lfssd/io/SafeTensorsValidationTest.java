package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

/** One hand-crafted corrupt file per validation rule; each must fail with a precise, attributable message. */
class SafeTensorsValidationTest {
    @TempDir
    Path dir;

    /** Opening fails; the message names the file, the tensor (if any) and contains {@code expected}. */
    private SafeTensorsException rejects(Path file, String tensor, String expected) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "says '" + expected + "': " + e.getMessage());
        if (tensor == null) {
            assertNull(e.tensor(), e.getMessage());
        } else {
            assertEquals(tensor, e.tensor(), e.getMessage());
            assertTrue(e.getMessage().contains("'" + tensor + "'"), "names the tensor: " + e.getMessage());
        }
        return e;
    }

    private Path header(String name, String json, int dataBytes) throws IOException {
        return CorruptFiles.withHeader(dir, name, json, dataBytes);
    }

    private static String entry(String dtype, String shape, long begin, long end) {
        return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 0, 0});
        rejects(f, null, "too small for the 8-byte header length");
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        rejects(CorruptFiles.raw(dir, "huge", 100_000_001L, new byte[0], new byte[0]), null, "exceeds the limit");
    }

    @Test
    void headerLengthAboveTwoToThe63IsNotMistakenForNegative() throws IOException {
        rejects(CorruptFiles.raw(dir, "unsigned", -1L, new byte[0], new byte[0]), null, "18446744073709551615");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        rejects(CorruptFiles.raw(dir, "past", 64, json, new byte[0]), null, "runs past the end");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] bad = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        rejects(CorruptFiles.raw(dir, "utf8", bad.length, bad, new byte[0]), null, "not valid UTF-8");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        rejects(header("array", "[1, 2, 3]", 0), null, "does not start with '{'");
    }

    @Test
    void headerWithBrokenJson() throws IOException {
        rejects(header("syntax", "{\"w\": {\"dtype\": \"F32\", ", 0), null, "not valid JSON");
    }

    @Test
    void headerWithContentAfterTheObject() throws IOException {
        rejects(header("trailing", "{} {}", 0), null, "after the header's JSON object");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String e = entry("F32", "[1]", 0, 4);
        rejects(header("dup", "{\"w\":" + e + ",\"w\":" + e + "}", 4), "w", "duplicate key 'w'");
    }

    @Test
    void unknownDtype() throws IOException {
        rejects(header("dtype", "{\"w\":" + entry("F4", "[2]", 0, 1) + "}", 1), "w", "unknown dtype 'F4'");
    }

    @Test
    void dtypeThatIsNotAString() throws IOException {
        rejects(header("dtype_num", "{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w",
                "dtype must be a string");
    }

    @Test
    void negativeDimension() throws IOException {
        rejects(header("neg", "{\"w\":" + entry("F32", "[-1,2]", 0, 8) + "}", 8), "w", "shape value -1");
    }

    @Test
    void fractionalDimension() throws IOException {
        rejects(header("frac", "{\"w\":" + entry("F32", "[2.5]", 0, 8) + "}", 8), "w", "shape must hold integers");
    }

    @Test
    void shapeThatIsNotAnArray() throws IOException {
        rejects(header("shape_obj", "{\"w\":" + entry("F32", "{}", 0, 4) + "}", 4), "w", "shape must be an array");
    }

    @Test
    void dimensionBeyondAnInt() throws IOException {
        rejects(header("wide", "{\"w\":" + entry("U8", "[3000000000]", 0, 3000000000L) + "}", 0), "w",
                "dimension 3000000000 exceeds 2^31 - 1");
    }

    @Test
    void offsetsBeyondSixtyFourBits() throws IOException {
        rejects(header("bigint", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999999]}}", 4),
                "w", "not a non-negative 64-bit integer");
    }

    @Test
    void byteSizeOverflow() throws IOException {
        rejects(header("overflow", "{\"w\":" + entry("F64", "[2147483647,2147483647,2147483647]", 0, 8) + "}", 8), "w",
                "overflows 64 bits");
    }

    @Test
    void offsetsWithThreeValues() throws IOException {
        rejects(header("three", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "w",
                "data_offsets must be [begin, end]");
    }

    @Test
    void offsetsEndingBeforeTheyBegin() throws IOException {
        rejects(header("reversed", "{\"w\":" + entry("F32", "[1]", 4, 0) + "}", 4), "w", "end before they begin");
    }

    @Test
    void missingFields() throws IOException {
        rejects(header("no_offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "w", "lacks 'data_offsets'");
        rejects(header("no_dtype", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w", "lacks 'dtype'");
        rejects(header("no_shape", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "w", "lacks 'shape'");
    }

    @Test
    void entryThatIsNotAnObject() throws IOException {
        rejects(header("entry_str", "{\"w\":\"F32\"}", 0), "w", "entry must be a JSON object");
    }

    @Test
    void spanThatDisagreesWithShapeAndDtype() throws IOException {
        rejects(header("span", "{\"w\":" + entry("F16", "[2,3]", 0, 24) + "}", 24), "w", "needs 12");
    }

    @Test
    void firstTensorNotAtOffsetZero() throws IOException {
        rejects(header("start", "{\"w\":" + entry("F32", "[1]", 4, 8) + "}", 8), "w", "leave a gap");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        String json = "{\"a\":" + entry("F32", "[1]", 0, 4) + ",\"b\":" + entry("F32", "[1]", 8, 12) + "}";
        rejects(header("gap", json, 12), "b", "leave a gap after the previous tensor's data ending at 4");
    }

    @Test
    void overlappingTensors() throws IOException {
        String json = "{\"a\":" + entry("F32", "[2]", 0, 8) + ",\"b\":" + entry("F32", "[2]", 4, 12) + "}";
        rejects(header("overlap", json, 12), "b", "overlap");
    }

    @Test
    void dataShorterThanTheHeaderSays() throws IOException {
        rejects(header("truncated", "{\"w\":" + entry("F32", "[4]", 0, 16) + "}", 12), null,
                "tensors cover 16 data bytes but the data section holds 12 bytes");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        rejects(header("extra", "{\"w\":" + entry("F32", "[1]", 0, 4) + "}", 5), null,
                "tensors cover 4 data bytes but the data section holds 5 bytes");
    }

    @Test
    void metadataThatIsNotAnObject() throws IOException {
        rejects(header("meta_arr", "{\"__metadata__\":[\"a\"]}", 0), null, "__metadata__ must be a JSON object");
    }

    @Test
    void metadataWithANonStringValue() throws IOException {
        rejects(header("meta_num", "{\"__metadata__\":{\"epochs\":3}}", 0), null, "entry 'epochs' must be a string");
    }

    @Test
    void unsupportedDtypeIsRecognisedButNotRead() throws IOException {
        Path f = header("i32", "{\"n\":" + entry("I32", "[2]", 0, 8) + ",\"w\":" + entry("F32", "[1]", 8, 12) + "}", 12);
        try (SafeTensorsFile file = SafeTensors.open(f)) {
            assertEquals(DType.I32, file.info("n").dtype());
            assertEquals(0f, file.tensor("w").item(), "other tensors stay readable");
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> file.tensor("n"));
            assertTrue(e.getMessage().contains("unsupported dtype I32"), e.getMessage());
            assertEquals("n", e.tensor());
        }
        rejects(f, "n", "unsupported dtype I32");
    }

    @Test
    void int64BeyondExactFloatRange() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 24).putLong((1L << 24) + 1);
        byte[] json = ("{\"ids\":" + entry("I64", "[2]", 0, 16) + "}").getBytes(StandardCharsets.UTF_8);
        Path f = CorruptFiles.raw(dir, "i64", json.length, json, data.array());
        rejects(f, "ids", "I64 value 16777217 at element 1 is beyond 2^24");
    }

    @Test
    void validEdgeCasesAreAccepted() throws IOException {
        // Zero-length tensors may share an offset, unknown entry fields are ignored (as the reference
        // implementation does), and a header may be padded with trailing spaces.
        String json = "{\"e1\":" + entry("F32", "[0]", 0, 0) + ",\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],"
                + "\"note\":{\"x\":[1]}},\"e2\":" + entry("BF16", "[2,0]", 0, 0) + "}      ";
        Map<String, Tensor> t = SafeTensors.read(header("edges", json, 4));
        assertEquals(3, t.size());
        assertEquals(0, t.get("e1").numel());
        assertEquals(0, t.get("w").dim());
        assertEquals(0, t.get("e2").numel());
        assertEquals(2, t.get("e2").size(0));
    }
}
