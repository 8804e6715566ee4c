package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;

/** Writing and reading back: every dtype, rank 0, empty tensors, metadata, views, lazy and windowed access. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Tensor random(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), 0f, 3f, shape);
    }

    private static void assertBitwiseEqual(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), "element " + i);
        }
    }

    @Test
    void float32RoundTripKeepsOrderShapesValuesAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.last_name_first", random(1, 3, 4));
        tensors.put("conv.weight", random(2, 2, 3, 3, 3));
        tensors.put("scalar", Tensor.full(-0.0f, new int[0]));
        tensors.put("empty", Tensor.zeros(0));
        tensors.put("empty2d", Tensor.zeros(2, 0));
        tensors.put("a", Tensor.fromArray(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE}, 3));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "ünïcödé ✓ \"quoted\"");
        Path f = dir.resolve("rt.safetensors");
        SafeTensors.write(f, tensors, meta);

        Map<String, Tensor> back = SafeTensors.read(f);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()), "file order is map order");
        for (String name : tensors.keySet()) {
            assertBitwiseEqual(tensors.get(name), back.get(name));
        }
        assertEquals(meta, SafeTensors.readMetadata(f));
    }

    @Test
    void headerIsCompactAndPaddedWithSpacesToAMultipleOf8() throws IOException {
        Path f = dir.resolve("layout.safetensors");
        SafeTensors.write(f, Map.of("w", Tensor.ones(1, 2)), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String expected = "{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}";
        assertEquals(expected, header.stripTrailing());
        assertTrue(header.substring(expected.length()).chars().allMatch(c -> c == ' '));
        assertEquals(8 + n + 8, bytes.length);
        assertEquals(1f, ByteBuffer.wrap(bytes, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void halfPrecisionRoundTripsRepresentableValuesExactlyAndRoundsTheRest() throws IOException {
        float[] exact = {0f, -0f, 1f, -2.5f, 65504f, 0x1p-24f, Float.NEGATIVE_INFINITY, 0.333251953125f};
        Tensor rounded = random(3, 4, 5);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f16.exact", Tensor.fromArray(exact, exact.length));
        tensors.put("bf16.exact", Tensor.fromArray(new float[] {1f, -3f, 0x1p-130f, 3.3895314e38f}, 4));
        tensors.put("f16.rounded", rounded);
        tensors.put("bf16.rounded", rounded);
        tensors.put("f32", rounded);
        Map<String, DType> dtypes = Map.of("f16.exact", DType.F16, "bf16.exact", DType.BF16,
                "f16.rounded", DType.F16, "bf16.rounded", DType.BF16);
        Path f = dir.resolve("half.safetensors");
        SafeTensors.write(f, tensors, dtypes, Map.of());

        Map<String, Tensor> back = SafeTensors.read(f);
        assertBitwiseEqual(tensors.get("f16.exact"), back.get("f16.exact"));
        assertBitwiseEqual(tensors.get("bf16.exact"), back.get("bf16.exact"));
        assertBitwiseEqual(rounded, back.get("f32"));
        float[] src = rounded.toArray();
        float[] f16 = back.get("f16.rounded").toArray();
        float[] bf16 = back.get("bf16.rounded").toArray();
        for (int i = 0; i < src.length; i++) {
            assertEquals(HalfFloats.halfToFloat(HalfFloats.floatToHalf(src[i])), f16[i], 0f);
            assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(src[i])), bf16[i], 0f);
            // Round to nearest: within half a unit in the last place (2^-11 and 2^-8 relative).
            assertEquals(src[i], f16[i], Math.abs(src[i]) * 0x1p-11 + 0x1p-25);
            assertEquals(src[i], bf16[i], Math.abs(src[i]) * 0x1p-8);
        }
        try (SafeTensorsFile file = SafeTensors.open(f)) {
            assertEquals(DType.F16, file.info("f16.exact").dtype());
            assertEquals(16, file.info("f16.exact").byteLength());
            assertEquals(DType.BF16, file.info("bf16.rounded").dtype());
            assertEquals(DType.F32, file.info("f32").dtype());
        }
    }

    @Test
    void int64RoundTripsIntegersUpToTwoToThe24() throws IOException {
        Tensor labels = Tensor.fromArray(new float[] {0, 9, -1, 16777216, -16777216, 42}, 2, 3);
        Path f = dir.resolve("i64.safetensors");
        SafeTensors.write(f, Map.of("labels", labels), Map.of("labels", DType.I64), Map.of());
        try (SafeTensorsFile file = SafeTensors.open(f)) {
            assertEquals(DType.I64, file.info("labels").dtype());
            assertEquals(48, file.info("labels").byteLength());
            assertBitwiseEqual(labels, file.tensor("labels"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(
                dir.resolve("bad.safetensors"), Map.of("x", Tensor.full(2.5f, 2)), Map.of("x", DType.I64), Map.of()));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("2.5"), e.getMessage());
    }

    @Test
    void writesOnlyTheWindowOfAView() throws IOException {
        Tensor whole = random(4, 4, 3);
        Tensor rows = whole.sliceBatch(1, 3);
        Path f = dir.resolve("view.safetensors");
        SafeTensors.write(f, Map.of("rows", rows), Map.of());
        assertBitwiseEqual(rows.copy(), SafeTensors.read(f).get("rows"));
        assertEquals(8 + 8 * ((Files.size(f) - 8 - 24) / 8) + 24, Files.size(f), "24 data bytes after the header");
    }

    @Test
    void emptyFileWithoutTensorsOrMetadata() throws IOException {
        Path f = dir.resolve("nothing.safetensors");
        SafeTensors.write(f, Map.of(), Map.of());
        assertEquals(16, Files.size(f), "length field plus '{}' padded to 8");
        assertTrue(SafeTensors.read(f).isEmpty());
        assertTrue(SafeTensors.readMetadata(f).isEmpty());
    }

    @Test
    void openReadsLazilyAndByName() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", random(5, 2, 2));
        tensors.put("a", random(6, 3));
        Path f = dir.resolve("lazy.safetensors");
        SafeTensors.write(f, tensors, Map.of("epoch", "3"));
        SafeTensorsFile file = SafeTensors.open(f);
        try (file) {
            assertEquals(List.of("b", "a"), file.names());
            assertEquals(Map.of("epoch", "3"), file.metadata());
            TensorInfo a = file.info("a");
            assertArrayEquals(new int[] {3}, a.shape());
            assertEquals(16, a.begin());
            assertEquals(28, a.end());
            assertEquals(3, a.numel());
            assertBitwiseEqual(tensors.get("a"), file.tensor("a"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> file.tensor("c"));
            assertTrue(e.getMessage().contains("'c'"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> file.tensor("a"));
    }

    /** The path taken by tensors over 2 GiB, exercised with an 8- or 16-byte window instead. */
    @Test
    void tensorsSpanningSeveralMappingWindowsReadTheSame() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f32", random(7, 37));
        tensors.put("f16", random(8, 5, 3));
        tensors.put("bf16", random(9, 11));
        tensors.put("i64", Tensor.fromArray(new float[] {1, -2, 3, -4, 5}, 5));
        Map<String, DType> dtypes = Map.of("f16", DType.F16, "bf16", DType.BF16, "i64", DType.I64);
        Path f = dir.resolve("windows.safetensors");
        SafeTensors.write(f, tensors, dtypes, Map.of());
        Map<String, Tensor> whole = SafeTensors.read(f);
        for (long window : new long[] {8, 16, 24}) {
            try (SafeTensorsFile file = SafeTensorsFile.open(f, window)) {
                for (String name : tensors.keySet()) {
                    assertBitwiseEqual(whole.get(name), file.tensor(name));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SafeTensorsFile.open(f, 12));
    }

    @Test
    void writeRejectsBadArguments() {
        Path f = dir.resolve("never.safetensors");
        Tensor t = Tensor.ones(2);
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, Map.of("__metadata__", t), Map.of()));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, Map.of("w", t), Map.of("v", DType.F16), Map.of()));
        assertTrue(stray.getMessage().contains("'v'"), stray.getMessage());
        IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, Map.of("w", t), Map.of("w", DType.I32), Map.of()));
        assertTrue(unsupported.getMessage().contains("unsupported dtype I32"), unsupported.getMessage());
        assertTrue(Files.notExists(f), "nothing is written when arguments are rejected");
    }
}
