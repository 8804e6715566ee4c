package org.lfssd.unlearn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

/**
 * The file format of {@link Importance#save} and {@link Importance#load}: a safetensors file with one F32
 * tensor per parameter and the provenance in its metadata, guarded by a content checksum
 * ({@link ImportanceChecksum}). Metadata keys: {@code format} ({@value #FORMAT}), {@code format_version}
 * ({@value #FORMAT_VERSION}), {@code method}, {@code reduction}, {@code batch_size}, {@code samples},
 * {@code batches}, {@code weights_sha256}, {@code parameter_order} (the names, newline-separated, since a
 * JSON header does not keep the model order), {@value #PREPROCESSING_KEY} when the importance records how its
 * images were prepared ({@link Importance#withPreprocessing}), and {@value #CHECKSUM_KEY}.
 */
final class ImportanceFile {
    private static final String FORMAT = "lfssd-importance";
    private static final String FORMAT_VERSION = "1";
    private static final String CHECKSUM_KEY = "content_sha256";
    private static final String PREPROCESSING_KEY = "preprocessing";

    private ImportanceFile() {}

    /** Writes {@code omega} to {@code file}, replacing it atomically. */
    static void write(Importance omega, Path file) throws IOException {
        Map<String, Tensor> values = omega.values();
        for (String name : values.keySet()) {
            if (name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("Importance.save to " + file + ": parameter name '"
                        + name.replace("\n", "\\n") + "' contains a newline, which separates names in 'parameter_order'");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", FORMAT_VERSION);
        meta.put("method", omega.method().name());
        meta.put("reduction", omega.reduction().name());
        meta.put("batch_size", Integer.toString(omega.batchSize()));
        meta.put("samples", Long.toString(omega.sampleCount()));
        meta.put("batches", Long.toString(omega.batchCount()));
        meta.put("weights_sha256", omega.weightHash());
        meta.put("parameter_order", String.join("\n", values.keySet()));
        omega.preprocessing().ifPresent(p -> meta.put(PREPROCESSING_KEY, p));
        meta.put(CHECKSUM_KEY, ImportanceChecksum.of(values, meta));
        SafeTensors.write(file, values, meta);
    }

    /** Reads a file written by {@link #write}, verifying its checksum when it has one. */
    static Importance read(Path file) throws IOException {
        Map<String, String> meta = SafeTensors.readMetadata(file);
        if (meta == null || !FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + ": not an importance file (metadata 'format' is not '" + FORMAT + "')");
        }
        if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw new IOException(file + ": unsupported importance format version " + meta.get("format_version"));
        }
        Map<String, Tensor> tensors = SafeTensors.read(file);
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        try {
            for (String name : required(meta, "parameter_order", file).split("\n", -1)) {
                Tensor t = tensors.get(name);
                if (t == null) {
                    throw new IOException(file + ": parameter '" + name + "' is listed but has no tensor");
                }
                ordered.put(name, t);
            }
            if (ordered.size() != tensors.size()) {
                throw new IOException(file + ": " + tensors.size() + " tensors but " + ordered.size() + " listed parameters");
            }
            String stored = meta.get(CHECKSUM_KEY);
            if (stored != null) {
                Map<String, String> covered = new LinkedHashMap<>(meta);
                covered.remove(CHECKSUM_KEY);
                String actual = ImportanceChecksum.of(ordered, covered);
                if (!actual.equals(stored)) {
                    throw new IOException(file + ": importance content does not match its checksum (" + CHECKSUM_KEY + " "
                            + Importance.abbrev(stored) + ", content " + Importance.abbrev(actual)
                            + "): the file is corrupt or was edited");
                }
            }
            Importance omega = new Importance(ordered, Method.valueOf(required(meta, "method", file)),
                    Reduction.valueOf(required(meta, "reduction", file)),
                    Integer.parseInt(required(meta, "batch_size", file)), Long.parseLong(required(meta, "samples", file)),
                    Long.parseLong(required(meta, "batches", file)), required(meta, "weights_sha256", file));
            String preprocessing = meta.get(PREPROCESSING_KEY);
            return preprocessing == null ? omega : omega.withPreprocessing(preprocessing);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": invalid importance metadata: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> meta, String key, Path file) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw new IOException(file + ": importance metadata lacks '" + key + "'");
        }
        return v;
    }
}
