package org.lfssd.io;

/**
 * The element types of the safetensors format, by their header names ({@code "F32"}, {@code "BF16"}, ...).
 *
 * <p>Only {@link #F32}, {@link #F16}, {@link #BF16} and {@link #I64} can be read (converted to float32)
 * or written. The others are recognised so that a file holding them still parses, its tensors can be
 * listed, and reading one of them fails with a precise "unsupported dtype" message rather than
 * "unknown dtype".
 */
public enum DType {
    /** 64-bit IEEE float (not converted). */
    F64(8, false),
    /** 32-bit IEEE float. */
    F32(4, true),
    /** 16-bit IEEE half float. */
    F16(2, true),
    /** bfloat16: the upper half of a float32. */
    BF16(2, true),
    /** 8-bit float, 4 exponent and 3 mantissa bits (not converted). */
    F8_E4M3(1, false),
    /** 8-bit float, 5 exponent and 2 mantissa bits (not converted). */
    F8_E5M2(1, false),
    /** 64-bit signed integer (counters such as {@code num_batches_tracked}). */
    I64(8, true),
    /** 32-bit signed integer (not converted). */
    I32(4, false),
    /** 16-bit signed integer (not converted). */
    I16(2, false),
    /** 8-bit signed integer (not converted). */
    I8(1, false),
    /** 64-bit unsigned integer (not converted). */
    U64(8, false),
    /** 32-bit unsigned integer (not converted). */
    U32(4, false),
    /** 16-bit unsigned integer (not converted). */
    U16(2, false),
    /** 8-bit unsigned integer (not converted). */
    U8(1, false),
    /** Boolean, one byte (not converted). */
    BOOL(1, false);

    private final int byteSize;
    private final boolean convertible;

    DType(int byteSize, boolean convertible) {
        this.byteSize = byteSize;
        this.convertible = convertible;
    }

    /**
     * Bytes per element.
     *
     * @return the element size in bytes
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Whether this library converts the type to and from float32 (F32, F16, BF16, I64).
     *
     * @return true for F32, F16, BF16 and I64
     */
    public boolean isConvertible() {
        return convertible;
    }

    /**
     * The dtype with this header name (exact, upper case as the format spells it), or null if unknown.
     *
     * @param name the dtype as spelled in a header
     * @return the dtype, or null
     */
    public static DType fromHeaderName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The header name, e.g. {@code "BF16"}.
     *
     * @return the name
     */
    public String headerName() {
        return name();
    }
}
