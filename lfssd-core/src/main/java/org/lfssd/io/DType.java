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
    F64(8, false),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    F8_E4M3(1, false),
    F8_E5M2(1, false),
    I64(8, true),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U64(8, false),
    U32(4, false),
    U16(2, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean convertible;

    DType(int byteSize, boolean convertible) {
        this.byteSize = byteSize;
        this.convertible = convertible;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this library converts the type to and from float32 (F32, F16, BF16, I64). */
    public boolean isConvertible() {
        return convertible;
    }

    /** The dtype with this header name (exact, upper case as the format spells it), or null if unknown. */
    public static DType fromHeaderName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The header name, e.g. {@code "BF16"}. */
    public String headerName() {
        return name();
    }
}
