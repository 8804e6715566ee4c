package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lfssd.tensor.Tensor;
import org.lfssd.testing.Fixtures;

/**
 * Edge-case files written by the reference implementation (Hugging Face safetensors 0.8.0, through
 * {@code src/test/python/safetensors_reference.py write-fixtures}) read exactly as the reference defines
 * them: names, dtypes, shapes and metadata; every value bit for bit; and a named error where this library
 * cannot represent a tensor (unsupported dtype, I64 beyond 2^24).
 */
class ReferenceWrittenFilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"scalars", "empty", "dtypes", "metadata", "big-header"})
    void readsIdenticallyToTheReference(String name) throws IOException {
        Path file = Fixtures.path("fixtures/io/reference/" + name + ".safetensors");
        Path expectedFile = Fixtures.path("fixtures/io/reference/" + name + ".expected.safetensors");
        Map<String, Tensor> expected = SafeTensors.read(expectedFile);
        Map<String, String> spec = SafeTensors.readMetadata(expectedFile);
        Map<String, String> metadata = new HashMap<>();
        Set<String> names = new HashSet<>();
        spec.forEach((k, v) -> {
            if (k.startsWith("metadata/")) {
                metadata.put(k.substring("metadata/".length()), v);
            } else if (k.startsWith("dtype/")) {
                names.add(k.substring("dtype/".length()));
            }
        });
        try (SafeTensorsFile f = SafeTensors.open(file)) {
            assertEquals(metadata, f.metadata());
            assertEquals(names, new HashSet<>(f.names()));
            for (String tensor : f.names()) {
                TensorInfo info = f.info(tensor);
                assertEquals(spec.get("dtype/" + tensor), info.dtype().headerName(), tensor);
                String error = spec.get("error/" + tensor);
                if (error != null) {
                    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.tensor(tensor), tensor);
                    assertTrue(e.getMessage().contains(error) && e.getMessage().contains(file.toString()), e.getMessage());
                    continue;
                }
                Tensor want = expected.get(tensor);
                Tensor got = f.tensor(tensor);
                assertArrayEquals(want.shape(), got.shape(), tensor);
                assertArrayEquals(info.shape(), got.shape(), tensor);
                float[] w = want.toArray();
                float[] g = got.toArray();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(g[i]),
                            tensor + "[" + i + "]: " + w[i] + " vs " + g[i]);
                }
            }
            assertNull(spec.get("dtype/__metadata__"));
        }
    }
}
