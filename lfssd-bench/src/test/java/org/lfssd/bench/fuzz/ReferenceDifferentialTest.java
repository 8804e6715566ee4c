package org.lfssd.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.SafeTensors;
import org.lfssd.io.SafeTensorsException;
import org.lfssd.io.SafeTensorsFile;

/**
 * Differential test against the reference reader (Hugging Face safetensors, Rust core): the same mutated
 * files must be accepted or refused by both. Runs only where the reference is installed: set
 * {@code LFSSD_REFERENCE_PYTHON} to an interpreter that can {@code import safetensors} (see
 * {@code lfssd-core/src/test/python/safetensors_reference.py} for how to install it); {@code .ci/run} sets
 * it when it finds one. Otherwise the test is skipped.
 *
 * <p>A file this library accepts must be accepted by the reference, without exception. The other way
 * round, three documented, deliberate refusals are allowed: duplicate tensor names (the reference keeps
 * the last silently), names over 50,000 characters and metadata over 20,000,000 (bounds on what a header
 * may cost), and dimensions of 2^31 or more (Java arrays and int shapes).
 */
class ReferenceDifferentialTest {
    private static final Logger LOG = System.getLogger(ReferenceDifferentialTest.class.getName());
    private static final long SEED = 977L;
    private static final int MUTATED = 10_000;
    private static final Path SCRIPT = Path.of("..", "lfssd-core", "src", "test", "python", "safetensors_reference.py");
    private static final Pattern LINE = Pattern.compile("\\{\"file\": \"([^\"]+)\", \"accept\": (true|false), \"error\": \"(.*)\"}");

    @TempDir
    Path dir;

    @Test
    void acceptsExactlyWhatTheReferenceAccepts() throws Exception {
        String python = System.getenv("LFSSD_REFERENCE_PYTHON");
        assumeTrue(python != null && !python.isBlank() && Files.exists(SCRIPT),
                "LFSSD_REFERENCE_PYTHON is not set; the cross-check with the reference reader is skipped");

        Path inputs = Files.createDirectory(dir.resolve("inputs"));
        List<byte[]> files = new SafeTensorsFuzzer(Files.createDirectory(dir.resolve("scratch"))).inputs(SEED, MUTATED);
        for (int i = 0; i < files.size(); i++) {
            Files.write(inputs.resolve(String.format("%05d.safetensors", i)), files.get(i));
        }
        Process p = new ProcessBuilder(python, SCRIPT.toString(), "check", inputs.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "the reference checker failed");
        Map<String, Boolean> reference = new HashMap<>();
        Map<String, String> referenceError = new HashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                reference.put(m.group(1), Boolean.parseBoolean(m.group(2)));
                referenceError.put(m.group(1), m.group(3));
            }
        }
        assertEquals(files.size(), reference.size(), "one verdict per file");

        List<String> javaOnly = new ArrayList<>();
        List<String> referenceOnly = new ArrayList<>();
        int allowed = 0;
        Set<String> uniqueAccepted = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            String name = String.format("%05d.safetensors", i);
            Path file = inputs.resolve(name);
            String javaError = null;
            try (SafeTensorsFile f = SafeTensors.open(file)) {
                f.names();
            } catch (SafeTensorsException e) {
                javaError = e.getMessage();
            }
            boolean javaAccepts = javaError == null;
            if (javaAccepts) {
                uniqueAccepted.add(java.util.Base64.getEncoder().encodeToString(files.get(i)));
            }
            if (javaAccepts && !reference.get(name)) {
                javaOnly.add(name + ": reference says " + referenceError.get(name));
            } else if (!javaAccepts && reference.get(name)) {
                if (javaError.contains("duplicate key") || javaError.contains("parsing limit")
                        || javaError.contains("exceeds 2^31 - 1")) {
                    allowed++;
                } else {
                    referenceOnly.add(name + ": Java says " + javaError);
                }
            }
        }
        LOG.log(Level.INFO, "differential: " + files.size() + " files (" + uniqueAccepted.size() + " unique accepted);"
                + " accepted by Java only: " + javaOnly.size() + ", by the reference only: " + referenceOnly.size()
                + " (+" + allowed + " documented refusals)");
        assertEquals(List.of(), javaOnly, "files Java accepts and the reference rejects");
        assertEquals(List.of(), referenceOnly, "files the reference accepts and Java rejects");
    }
}
