package org.lfssd.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.tensor.Tensor;

/**
 * The committed PyTorch model fixtures of {@code src/test/python/make_model_fixtures.py}: resource paths,
 * {@code keys.txt} state-dict listings and error measures. (The op fixtures and tolerance reports shared by
 * all modules are {@code org.lfssd.testing.Fixtures} in lfssd-core's test jar.)
 */
final class ModelFixtures {
    private ModelFixtures() {}

    /** {@code fixtures/models/<relative>} on the test class path. */
    static Path path(String relative) {
        String name = "/fixtures/models/" + relative;
        URL url = ModelFixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name + " (run make_model_fixtures.py)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code keys.txt}: state-dict keys in PyTorch order, each with its shape. */
    static Map<String, int[]> keys(String relative) {
        try {
            List<String> lines = Files.readAllLines(path(relative), StandardCharsets.UTF_8);
            Map<String, int[]> out = new LinkedHashMap<>();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" ", -1);
                int[] shape = parts[1].isEmpty() ? new int[0]
                        : java.util.Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
                out.put(parts[0], shape);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code |a - b|} maximised over elements, in double. */
    static double maxAbsError(Tensor actual, Tensor expected) {
        if (!actual.sameShape(expected)) {
            throw new AssertionError("shape " + java.util.Arrays.toString(actual.shape()) + " vs expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        double max = 0;
        for (int i = 0; i < actual.numel(); i++) {
            max = Math.max(max, Math.abs((double) actual.data()[actual.offset() + i] - expected.data()[expected.offset() + i]));
        }
        return max;
    }

    /** {@code max |x|}. */
    static double maxAbs(Tensor t) {
        double max = 0;
        for (int i = 0; i < t.numel(); i++) {
            max = Math.max(max, Math.abs(t.data()[t.offset() + i]));
        }
        return max;
    }
}
