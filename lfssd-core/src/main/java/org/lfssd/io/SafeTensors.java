package org.lfssd.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lfssd.tensor.Tensor;

/**
 * Reading and writing the safetensors format (an 8-byte header length, a JSON header, raw little-endian
 * data), the one checkpoint and fixture format of this project. Files written by the Python
 * {@code safetensors} library load here, and files written here load there.
 *
 * <p>Every tensor is returned as float32; see {@link SafeTensorsFile#tensor} for the conversions. Files
 * are memory-mapped tensor by tensor, never read whole. Malformed files fail with a
 * {@link SafeTensorsException} naming the file and the tensor.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /**
     * Reads every tensor, converted to float32 (F16/BF16 widened exactly; I64 converted, an error if
     * {@code |v| > 2^24}), in file (offset) order.
     *
     * @param file a {@code .safetensors} file
     * @return the tensors by name
     * @throws IOException if the file cannot be read or is not valid safetensors ({@link SafeTensorsException})
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (SafeTensorsFile f = open(file)) {
            return f.readAll();
        }
    }

    /**
     * The {@code "__metadata__"} string map (empty if absent). The header is validated in full.
     *
     * @param file a {@code .safetensors} file
     * @return the metadata
     * @throws IOException if the file cannot be read or its header is invalid
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (SafeTensorsFile f = open(file)) {
            return f.metadata();
        }
    }

    /**
     * Opens a file memory-mapped, validating its header; tensors are read one at a time on request.
     *
     * @param file a {@code .safetensors} file
     * @return the open file; close it when done
     * @throws IOException if the file cannot be opened or its header is invalid
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        return SafeTensorsFile.open(file);
    }

    /**
     * Reads a sharded checkpoint through its {@code *.safetensors.index.json}, whose {@code "weight_map"}
     * maps each tensor name to its shard file (relative to the index). Returns the tensors in
     * {@code weight_map} order; each shard is opened once. A tensor missing from its shard is an error.
     *
     * @param indexJson the shard index
     * @return the tensors by name
     * @throws IOException if the index or a shard cannot be read or is invalid
     */
    public static Map<String, Tensor> readSharded(Path indexJson) throws IOException {
        Map<String, Path> weightMap = ShardIndex.read(indexJson);
        Map<Path, SafeTensorsFile> shards = new LinkedHashMap<>();
        try {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : weightMap.entrySet()) {
                SafeTensorsFile shard = shards.get(e.getValue());
                if (shard == null) {
                    shard = open(e.getValue());
                    shards.put(e.getValue(), shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new SafeTensorsException(indexJson, e.getKey(), "listed in 'weight_map' under shard "
                            + e.getValue().getFileName() + ", which does not contain it");
                }
                out.put(e.getKey(), shard.tensor(e.getKey()));
            }
            return out;
        } finally {
            for (SafeTensorsFile shard : shards.values()) {
                shard.close();
            }
        }
    }

    /**
     * Writes F32 tensors in map order with {@code metadata} (may be empty). Overwrites {@code file}.
     *
     * @param file     the file to write
     * @param tensors  the tensors by name
     * @param metadata string pairs for {@code __metadata__}
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, Collections.emptyMap(), metadata);
    }

    /**
     * Writes tensors in map order with a per-tensor dtype (F32, F16, BF16 or I64; a tensor without an
     * entry is F32). F16 and BF16 round to nearest, ties to even; I64 requires integral values.
     *
     * @param file     the file to write
     * @param tensors  the tensors by name
     * @param dtypes   the stored dtype per tensor name
     * @param metadata string pairs for {@code __metadata__}
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException for a reserved or null name, a dtype for an absent tensor, an
     *     unwritable dtype, or a non-integral value bound for I64
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, DType> dtypes,
                             Map<String, String> metadata) throws IOException {
        SafeTensorsWriter.write(file, tensors, dtypes, metadata);
    }
}
