package org.lfssd.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read: malformed header, inconsistent offsets, unsupported dtype,
 * or a value that does not convert. The message names the file and, where one is involved, the tensor.
 */
public class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The tensor the problem concerns, or null for the whole file. */
    private final String tensor;

    /**
     * A problem with the file as a whole (header length, JSON syntax, trailing data).
     *
     * @param file    the file
     * @param problem what is wrong
     */
    public SafeTensorsException(Path file, String problem) {
        this(file, null, problem, null);
    }

    /**
     * A problem with one tensor's entry or data.
     *
     * @param file    the file
     * @param tensor  the tensor's name
     * @param problem what is wrong
     */
    public SafeTensorsException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /**
     * A problem with one tensor (or, when {@code tensor} is null, the whole file), caused by {@code cause}.
     *
     * @param file    the file
     * @param tensor  the tensor's name, or null
     * @param problem what is wrong
     * @param cause   the underlying failure
     */
    public SafeTensorsException(Path file, String tensor, String problem, Throwable cause) {
        super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /**
     * The file that failed to read.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * The tensor the problem concerns, or null if it concerns the whole file.
     *
     * @return the tensor's name, or null
     */
    public String tensor() {
        return tensor;
    }
}
