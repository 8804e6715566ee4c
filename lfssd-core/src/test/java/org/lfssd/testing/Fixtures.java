package org.lfssd.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lfssd.io.SafeTensors;
import org.lfssd.io.SafeTensorsFile;
import org.lfssd.tensor.Tensor;

/**
 * Loading of reference fixtures (safetensors files on the test classpath) and tolerance assertions that
 * report the maximum absolute and relative error. Shared with lfssd-nn's tests through the core test-jar,
 * where resources live inside a jar: those are copied once to a temporary file, since a jar entry cannot be
 * memory-mapped.
 */
public final class Fixtures {
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private Fixtures() {}

    /** A file-system path for a classpath resource such as {@code fixtures/ops/neg.safetensors}. */
    public static Path path(String resource) {
        return path(Fixtures.class.getClassLoader(), resource);
    }

    /** As {@link #path(String)}, resolved through {@code loader}. */
    static Path path(ClassLoader loader, String resource) {
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no classpath resource '" + resource + "'");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("resource URL " + url + " is not a valid URI", e);
            }
        }
        return EXTRACTED.computeIfAbsent(resource, r -> extract(url, r));
    }

    private static Path extract(URL url, String resource) {
        try (InputStream in = url.openStream()) {
            String simple = resource.substring(resource.lastIndexOf('/') + 1);
            Path tmp = Files.createTempFile("lfssd-fixture-", "-" + simple);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("copying resource " + resource + " to a temporary file", e);
        }
    }

    /** Loads a fixture (all tensors and metadata) from a classpath resource. */
    public static Fixture load(String resource) {
        Path file = path(resource);
        try (SafeTensorsFile f = SafeTensors.open(file)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : f.names()) {
                tensors.put(name, f.tensor(name));
            }
            String simple = resource.substring(resource.lastIndexOf('/') + 1);
            String name = simple.endsWith(".safetensors") ? simple.substring(0, simple.length() - ".safetensors".length()) : simple;
            return new Fixture(name, tensors, f.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("loading fixture " + resource, e);
        }
    }

    /**
     * The fixture file names listed in {@code <directory>/index.txt} (one per line, written by the
     * fixture script), so that a directory can be enumerated from a jar as well as from disk.
     */
    public static List<String> list(String directory) {
        String resource = directory + "/index.txt";
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture index '" + resource + "' on the classpath");
            }
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /**
     * Compares element by element under {@code |actual - expected| <= atol + rtol * |expected|} without
     * asserting. NaN matches NaN, and infinities must match exactly; a NaN against a number fails.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static ErrorStats compare(Tensor expected, Tensor actual, double atol, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalArgumentException("shape mismatch: expected " + Arrays.toString(expected.shape())
                    + ", actual " + Arrays.toString(actual.shape()));
        }
        float[] e = expected.data();
        float[] a = actual.data();
        int eo = expected.offset();
        int ao = actual.offset();
        double maxAbs = 0;
        double maxRel = 0;
        double used = 0;
        int worst = expected.numel() > 0 ? 0 : -1;
        int failures = 0;
        for (int i = 0; i < expected.numel(); i++) {
            double ev = e[eo + i];
            double av = a[ao + i];
            double ratio;
            if (Double.isNaN(ev) || Double.isNaN(av) || Double.isInfinite(ev) || Double.isInfinite(av)) {
                boolean same = (Double.isNaN(ev) && Double.isNaN(av)) || ev == av;
                ratio = same ? 0 : Double.POSITIVE_INFINITY;
                if (!same) {
                    maxAbs = Double.POSITIVE_INFINITY;
                    maxRel = Double.POSITIVE_INFINITY;
                }
            } else {
                double diff = Math.abs(av - ev);
                maxAbs = Math.max(maxAbs, diff);
                if (Math.abs(ev) > atol) {
                    maxRel = Math.max(maxRel, diff / Math.abs(ev));
                }
                double allowance = atol + rtol * Math.abs(ev);
                ratio = allowance > 0 ? diff / allowance : (diff == 0 ? 0 : Double.POSITIVE_INFINITY);
            }
            if (ratio > 1) {
                failures++;
            }
            if (ratio > used) {
                used = ratio;
                worst = i;
            }
        }
        return new ErrorStats(expected.shape(), maxAbs, maxRel, used, worst,
                worst >= 0 ? e[eo + worst] : Float.NaN, worst >= 0 ? a[ao + worst] : Float.NaN, failures);
    }

    /**
     * Asserts {@code actual} is within {@code atol + rtol * |expected|} of {@code expected} everywhere,
     * failing with the error statistics and the worst element; returns the statistics for reporting.
     */
    public static ErrorStats assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        ErrorStats stats = compare(expected, actual, atol, rtol);
        if (!stats.passed()) {
            fail(what + " outside atol " + atol + " + rtol " + rtol + ": " + stats);
        }
        return stats;
    }
}
