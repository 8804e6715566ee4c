package org.lfssd.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lfssd.io.DType;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;

/**
 * Saving and loading whole models as safetensors checkpoints with PyTorch's state-dict keys, so files
 * move both ways between this library and {@code torch} / {@code safetensors}.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Writes {@code model}'s state dict to {@code file}: floating-point tensors as {@code floatType}
     * (F32, F16 or BF16) and integer counters ({@code num_batches_tracked}) as I64, like PyTorch.
     *
     * @param model     the model to save
     * @param file      the file to write (replaced if it exists)
     * @param floatType F32, F16 or BF16
     * @param metadata  string pairs stored in the header (may be null)
     * @throws IOException if the file cannot be written
     */
    public static void save(Module model, Path file, DType floatType, Map<String, String> metadata)
            throws IOException {
        if (floatType != DType.F32 && floatType != DType.F16 && floatType != DType.BF16) {
            throw new IllegalArgumentException("Checkpoints.save: floatType must be F32, F16 or BF16, got " + floatType);
        }
        Map<String, Tensor> state = model.stateDict();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        var integers = model.integerStateKeys();
        for (String key : state.keySet()) {
            dtypes.put(key, integers.contains(key) ? DType.I64 : floatType);
        }
        SafeTensors.write(file, state, dtypes, metadata == null ? Map.of() : metadata);
    }

    /**
     * Writes {@code model}'s state dict in F32 (counters as I64).
     *
     * @param model    the model to save
     * @param file     the file to write (replaced if it exists)
     * @param metadata string pairs stored in the header (may be null)
     * @throws IOException if the file cannot be written
     */
    public static void save(Module model, Path file, Map<String, String> metadata) throws IOException {
        save(model, file, DType.F32, metadata);
    }

    /**
     * Reads a checkpoint: one {@code .safetensors} file, or a sharded one given by its {@code *.index.json}.
     *
     * @param file the {@code .safetensors} file or the shard index
     * @return the tensors by key, converted to float32, in file order
     * @throws IOException if the file cannot be read or is not safetensors; a {@code torch.save} file
     *                     ({@code .pt}/{@code .pth}) is named as such, with the two lines of Python that export it
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Path fileName = file.getFileName(); // null for a root such as "/"; the reader then names the problem
        String name = fileName == null ? "" : fileName.toString();
        if (name.endsWith(".index.json")) {
            return SafeTensors.readSharded(file);
        }
        TorchSaveFiles.rejectIfTorchSave(file);
        return SafeTensors.read(file);
    }

    /**
     * Reads {@code file} (see {@link #read}) into {@code model} in place, with the rules of
     * {@link StateDicts#load}. Any stored dtype is accepted and converted to float32.
     *
     * @param model  the model to fill
     * @param file   a {@code .safetensors} file or a shard index
     * @param strict whether missing and unexpected keys are errors
     * @return the keys a non-strict load skipped
     * @throws IOException if the file cannot be read
     */
    public static StateDicts.LoadResult load(Module model, Path file, boolean strict) throws IOException {
        return StateDicts.load(model, read(file), strict);
    }

    /**
     * Reads {@code file} into {@code model} strictly: every key of the model must be in the file and
     * nothing else, with equal shapes; otherwise nothing is written and the error lists the differences and
     * what they look like (a prefix, another architecture, another size).
     *
     * @param model the model to fill
     * @param file  a {@code .safetensors} file or a shard index
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the keys or shapes do not match
     */
    public static void load(Module model, Path file) throws IOException {
        load(model, file, true);
    }
}
