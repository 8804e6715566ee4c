package org.lfssd.io;

import java.util.Arrays;

/**
 * One header entry of a safetensors file: name, dtype, shape, and the byte span {@code [begin, end)} of
 * its data, relative to the start of the data section (the byte after the header).
 */
public final class TensorInfo {
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final long numel;
    private final long begin;
    private final long end;

    TensorInfo(String name, DType dtype, int[] shape, long numel, long begin, long end) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.numel = numel;
        this.begin = begin;
        this.end = end;
    }

    /** {@return the tensor's name} */
    public String name() {
        return name;
    }

    /** {@return the stored element type} */
    public DType dtype() {
        return dtype;
    }

    /** {@return a copy of the shape} */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements (a long: a valid file may describe more than a Java array holds).
     *
     * @return the element count
     */
    public long numel() {
        return numel;
    }

    /**
     * First byte of the data, relative to the data section.
     *
     * @return the offset of the first byte
     */
    public long begin() {
        return begin;
    }

    /**
     * One past the last byte of the data, relative to the data section.
     *
     * @return the offset past the last byte
     */
    public long end() {
        return end;
    }

    /** {@return the number of data bytes, {@code end - begin}} */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + ": " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
    }
}
