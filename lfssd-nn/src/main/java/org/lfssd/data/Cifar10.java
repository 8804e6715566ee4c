package org.lfssd.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 from its binary distribution ({@code cifar-10-batches-bin}): records of 1 label byte and
 * 3,072 pixel bytes. Images come as {@code [N, 3, 32, 32]} in [0, 1] ({@code ToTensor}); apply
 * {@link Normalization#OFFICIAL} for the papers' preprocessing.
 */
public final class Cifar10 {
    private Cifar10() {}

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** The number of classes. */
    public static final int NUM_CLASSES = 10;

    /** The five training files in their official order, then the test file. */
    static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";

    /**
     * Reads and concatenates the records of {@code files}, in that order.
     *
     * @param files the binary batch files ({@code data_batch_*.bin}, {@code test_batch.bin})
     * @return the images {@code [N, 3, 32, 32]} in [0, 1] with their labels 0..9
     * @throws IOException if a file cannot be read or is not a whole number of valid records
     */
    public static Dataset read(Path... files) throws IOException {
        CifarBinary.Records r = CifarBinary.read("CIFAR-10", new int[] {NUM_CLASSES}, files);
        return new Dataset(r.pixels(), r.labels()[0]);
    }

    /**
     * One split from a {@code cifar-10-batches-bin} directory: the training split is
     * {@code data_batch_1.bin … data_batch_5.bin} in that order (50,000 images), the test split
     * {@code test_batch.bin} (10,000).
     *
     * @param dir   the {@code cifar-10-batches-bin} directory
     * @param split which split to read
     * @return the split's images {@code [N, 3, 32, 32]} in [0, 1] with their labels 0..9
     * @throws IOException if a file is missing, cannot be read or is malformed
     */
    public static Dataset fromDirectory(Path dir, Split split) throws IOException {
        if (split == Split.TEST) {
            return read(CifarBinary.locate(dir, TEST_FILE, "CIFAR-10"));
        }
        Path[] files = new Path[TRAIN_FILES.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = CifarBinary.locate(dir, TRAIN_FILES.get(i), "CIFAR-10");
        }
        return read(files);
    }
}
