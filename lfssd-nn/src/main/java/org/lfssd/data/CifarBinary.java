package org.lfssd.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lfssd.tensor.Tensor;

/**
 * The record layout shared by the CIFAR binary distributions: {@code labelBytes} label bytes, then
 * 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, each row-major 32×32). Package-private: the
 * public entry points are {@link Cifar10} and {@link Cifar100}.
 */
final class CifarBinary {
    private CifarBinary() {}

    static final int SIDE = 32;
    static final int CHANNELS = 3;
    static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

    /**
     * The parsed records of one or more files, concatenated in the given order.
     *
     * @param pixels {@code [N, 3, 32, 32]} as {@code ToTensor} gives them: byte / 255
     * @param labels {@code labels[j][i]}: label byte {@code j} of record {@code i}
     */
    record Records(Tensor pixels, int[][] labels) {}

    /**
     * Reads every record of {@code files}. Each label byte {@code j} must be below {@code labelLimits[j]}.
     * The whole file is checked before any pixel is converted: a length that is not a whole number of
     * records is an error naming the file and the offset of the truncated record, and an out-of-range label
     * names the file, the record and the byte offset of the label.
     */
    static Records read(String format, int[] labelLimits, Path... files) throws IOException {
        if (files.length == 0) {
            throw new IllegalArgumentException(format + ": no files given");
        }
        int labelBytes = labelLimits.length;
        int recordBytes = labelBytes + IMAGE_BYTES;
        byte[][] contents = new byte[files.length][];
        long total = 0;
        for (int f = 0; f < files.length; f++) {
            long size = Files.size(files[f]);
            if (size == 0 || size % recordBytes != 0) {
                long whole = size / recordBytes;
                throw new IOException(files[f] + ": not a " + format + " binary file: " + size + " bytes is not a positive"
                        + " multiple of the " + recordBytes + "-byte record (" + labelBytes + " label byte(s) + "
                        + IMAGE_BYTES + " pixels); record " + whole + " starting at byte offset " + whole * recordBytes
                        + " is truncated");
            }
            if (size > Integer.MAX_VALUE) {
                throw new IOException(files[f] + ": " + size + " bytes is larger than any " + format + " batch file");
            }
            total += size / recordBytes;
            if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
                throw new IOException(format + ": " + total + " images do not fit one float array (at " + files[f] + ")");
            }
            contents[f] = Files.readAllBytes(files[f]);
            if (contents[f].length != size) {
                throw new IOException(files[f] + ": changed size while being read (" + size + " then " + contents[f].length
                        + " bytes)");
            }
        }
        int n = (int) total;
        float[] pixels = new float[n * IMAGE_BYTES];
        int[][] labels = new int[labelBytes][n];
        int sample = 0;
        for (int f = 0; f < files.length; f++) {
            byte[] bytes = contents[f];
            int records = bytes.length / recordBytes;
            for (int r = 0; r < records; r++, sample++) {
                int base = r * recordBytes;
                for (int j = 0; j < labelBytes; j++) {
                    int label = bytes[base + j] & 0xff;
                    if (label >= labelLimits[j]) {
                        throw new IOException(files[f] + ": record " + r + ", label byte " + j + " at byte offset "
                                + (base + j) + " is " + label + ", outside [0, " + labelLimits[j] + ") for " + format);
                    }
                    labels[j][sample] = label;
                }
                int out = sample * IMAGE_BYTES;
                for (int p = 0; p < IMAGE_BYTES; p++) {
                    pixels[out + p] = (bytes[base + labelBytes + p] & 0xff) / 255f;
                }
            }
        }
        return new Records(Tensor.wrap(pixels, 0, n, CHANNELS, SIDE, SIDE), labels);
    }

    /** The file {@code name} in {@code dir}, or an error naming the directory and what is expected there. */
    static Path locate(Path dir, String name, String format) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IOException(format + " file not found: " + p + " (expected the binary distribution's " + name + ")");
        }
        return p;
    }
}
