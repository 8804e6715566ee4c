package org.lfssd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.autograd.ShardedBackward;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.TensorDampening;

/**
 * The JSON record of one forget request, for an auditor: what ran (tool version and commit, kernels, JVM),
 * on what (SHA-256 of every input and output file and of the forget-set specification), with which settings,
 * what it selected per tensor, how long it took, and when (UTC). {@code lfssd audit verify} recomputes the
 * file hashes.
 *
 * <p>File paths are stored relative to the record's folder when the file lies beneath it, so the folder can
 * be moved or archived as a whole.
 */
final class AuditRecord {
    static final String FORMAT = "lfssd-audit";
    static final int FORMAT_VERSION = 1;

    /** The top-level keys, in order; the golden test checks them. */
    static final List<String> KEYS = List.of("format", "format_version", "tool", "environment", "request", "settings",
            "files", "forget_set", "result", "timings", "timestamps");

    private AuditRecord() {}

    static Map<String, Object> tool() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "lfssd");
        m.put("version", BuildInfo.version());
        m.put("git_commit", BuildInfo.gitCommit());
        return m;
    }

    static Map<String, Object> environment() {
        Kernels.Selection s = Kernels.selection();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel_provider", s.provider().name());
        m.put("vector_bits", s.provider().vectorBitSize());
        m.put("gemm", s.gemm().name());
        m.put("threads", Parallel.threads());
        // The importance pass's shards fix the order of its additions, so they, unlike the threads, decide Ω's last bits.
        m.put("importance_shards", ShardedBackward.configuredShards());
        m.put("java", Runtime.version().toString());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    /** One hashed file: its role, path (relative to {@code recordDir} when beneath it), size and SHA-256. */
    static Map<String, Object> file(String role, Path file, Path recordDir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("path", relative(file, recordDir));
        m.put("bytes", Files.size(file));
        m.put("sha256", Sha256.of(file));
        return m;
    }

    static String relative(Path file, Path recordDir) {
        Path abs = file.toAbsolutePath().normalize();
        Path dir = recordDir.toAbsolutePath().normalize();
        return abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
    }

    static Map<String, Object> result(DampeningReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("selected_total", r.totalSelected());
        m.put("elements_total", r.totalElements());
        m.put("tensors_touched", r.tensorsTouched());
        m.put("alpha_used", r.alpha());
        m.put("max_ratio", r.maxRatio());
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (TensorDampening t : r.tensors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name());
            e.put("selected", t.selected());
            e.put("elements", t.elements());
            e.put("min_beta", t.minBeta());
            e.put("mean_beta", t.meanBeta());
            tensors.add(e);
        }
        m.put("tensors", tensors);
        return m;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
