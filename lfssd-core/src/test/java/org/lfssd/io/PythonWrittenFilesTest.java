package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.tensor.Tensor;
import org.lfssd.testing.Fixtures;

/**
 * Files written by {@code make_op_fixtures.py} with torch's own float16/bfloat16/int64 conversions:
 * our reader must decode them, and our writer must reproduce them byte for byte from the float32
 * originals, which pins our round-to-nearest-even to torch's on ties, subnormals, overflow and NaN.
 */
class PythonWrittenFilesTest {
    private static final String DTYPES = "fixtures/io/torch_dtypes.safetensors";
    /** Position of NaN in the script's "values" list. */
    private static final int NAN_INDEX = 22;

    @TempDir
    Path dir;

    @Test
    void readsTorchConversions() throws IOException {
        Map<String, Tensor> t = SafeTensors.read(Fixtures.path(DTYPES));
        assertEquals(List.of("values.f32", "values.f16", "values.bf16", "random.f32", "random.f16", "random.bf16",
                "ints.i64", "scalar", "empty"), List.copyOf(t.keySet()));
        float[] f32 = t.get("values.f32").toArray();
        float[] f16 = t.get("values.f16").toArray();
        assertEquals(65504f, f16[6]);
        assertEquals(65504f, f16[7], "65519.99 rounds down");
        assertEquals(Float.POSITIVE_INFINITY, f16[8], "65520 is the tie past the largest half: to infinity");
        assertEquals(0f, f16[12], "2^-25 ties to zero");
        assertEquals(0x1p-24f, f16[13], "3 x 2^-26 (0.75 of a subnormal unit) rounds up to one unit");
        assertEquals(1f, f16[15], "1 + 2^-11 ties to even (1)");
        assertEquals(1f + 0x1p-9f, f16[16], "1 + 3 x 2^-11 ties to even (1 + 2^-9)");
        assertTrue(Float.isNaN(f16[NAN_INDEX]) && Float.isNaN(f32[NAN_INDEX]));
        assertArrayEquals(new float[] {0, 1, -1, 16777216, -16777216, 123456}, t.get("ints.i64").toArray());
        assertArrayEquals(new int[] {2, 3}, t.get("ints.i64").shape());
        assertEquals(0, t.get("scalar").dim());
        assertEquals(3.25f, t.get("scalar").item());
        assertArrayEquals(new int[] {0, 3}, t.get("empty").shape());
        assertEquals(Map.of("format", "pt", "written_by", "make_op_fixtures.py"),
                SafeTensors.readMetadata(Fixtures.path(DTYPES)));
    }

    @Test
    void ourWriterReproducesTheTorchFileByteForByte() throws IOException {
        Path original = Fixtures.path(DTYPES);
        Map<String, Tensor> read = SafeTensors.read(original);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        try (SafeTensorsFile file = SafeTensors.open(original)) {
            for (String name : file.names()) {
                // The 16-bit tensors are written from the float32 originals, so our rounding is what is tested.
                String source = name.endsWith(".f16") || name.endsWith(".bf16")
                        ? name.substring(0, name.lastIndexOf('.')) + ".f32" : name;
                tensors.put(name, read.get(source));
                dtypes.put(name, file.info(name).dtype());
            }
        }
        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.write(ours, tensors, dtypes, SafeTensors.readMetadata(original));
        byte[] theirs = Files.readAllBytes(original);
        byte[] mine = Files.readAllBytes(ours);
        assertEquals(theirs.length, mine.length);
        // One allowed difference: torch 1.13's vectorised bfloat16 conversion turns NaN into 0xFFFF, we give the
        // canonical quiet NaN 0x7FC0 (as c10's scalar conversion does). Sign and payload of a NaN mean nothing.
        int dataStart = 8 + (int) ByteBuffer.wrap(theirs, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int nan;
        try (SafeTensorsFile file = SafeTensors.open(original)) {
            nan = dataStart + (int) file.info("values.bf16").begin() + 2 * NAN_INDEX;
        }
        for (int i = 0; i < theirs.length; i++) {
            if (i != nan && i != nan + 1) {
                assertEquals(theirs[i], mine[i], "byte " + i);
            }
        }
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(ByteBuffer.wrap(theirs, nan, 2).order(ByteOrder.LITTLE_ENDIAN).getShort())));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(ByteBuffer.wrap(mine, nan, 2).order(ByteOrder.LITTLE_ENDIAN).getShort())));
    }

    @Test
    void readsAShardedCheckpointThroughItsIndex() throws IOException {
        Path index = Fixtures.path("fixtures/io/sharded/model.safetensors.index.json");
        Map<String, Tensor> sharded = SafeTensors.readSharded(index);
        assertEquals(List.of("a.bias", "a.weight", "b.scale", "b.weight"), List.copyOf(sharded.keySet()), "weight_map order");
        Map<String, Tensor> expected = SafeTensors.read(Fixtures.path("fixtures/io/sharded/expected.safetensors"));
        assertEquals(expected.keySet(), sharded.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).shape(), sharded.get(name).shape(), name);
            assertArrayEquals(expected.get(name).toArray(), sharded.get(name).toArray(), name);
        }
    }

    @Test
    void shardedIndexErrorsNameTheIndexAndTensor() throws IOException {
        Path shard = dir.resolve("s1.safetensors");
        SafeTensors.write(shard, Map.of("w", Tensor.ones(2)), Map.of());

        Path missing = dir.resolve("missing.index.json");
        Files.writeString(missing, "{\"weight_map\": {\"w\": \"s1.safetensors\", \"v\": \"s1.safetensors\"}}");
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readSharded(missing));
        assertEquals("v", e.tensor());
        assertTrue(e.getMessage().contains("does not contain it"), e.getMessage());

        Path escaping = dir.resolve("escape.index.json");
        Files.writeString(escaping, "{\"weight_map\": {\"w\": \"../elsewhere/s1.safetensors\"}}");
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readSharded(escaping));
        assertTrue(e.getMessage().contains("outside the index's directory"), e.getMessage());

        Path noMap = dir.resolve("nomap.index.json");
        Files.writeString(noMap, "{\"metadata\": {\"total_size\": 8}}");
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readSharded(noMap));
        assertTrue(e.getMessage().contains("no 'weight_map'"), e.getMessage());

        Path twice = dir.resolve("twice.index.json");
        Files.writeString(twice, "{\"weight_map\": {\"w\": \"s1.safetensors\", \"w\": \"s1.safetensors\"}}");
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readSharded(twice));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }
}
