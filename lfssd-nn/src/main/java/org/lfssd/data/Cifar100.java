package org.lfssd.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.lfssd.tensor.Tensor;

/**
 * CIFAR-100 from its binary distribution ({@code cifar-100-binary}): records of a coarse label byte
 * (20 superclasses), a fine label byte (100 classes) and 3,072 pixel bytes.
 *
 * <p>The same images serve two tasks: {@link #cifar100()} labels them with the fine class, and
 * {@link #cifar20()} with the superclass, which is the papers' CIFAR-20 (the official code's
 * {@code coarse_map} is the data set's own superclass assignment). For CIFAR-20 the fine label stays
 * available through {@link #fineLabels()}: a sub-class forgetting scenario selects by it while the target
 * remains the superclass.
 *
 * <p>Every file is checked to assign each fine class to a single superclass; a file that does not is
 * rejected with the record and byte offset of the first contradiction.
 *
 * @param images       {@code [N, 3, 32, 32]} in [0, 1] ({@code ToTensor})
 * @param fineLabels   the fine class, 0..99, per image
 * @param coarseLabels the superclass, 0..19, per image
 */
public record Cifar100(Tensor images, int[] fineLabels, int[] coarseLabels) {
    /** Fine classes. */
    public static final int NUM_FINE_CLASSES = 100;
    /** Superclasses (the CIFAR-20 targets). */
    public static final int NUM_COARSE_CLASSES = 20;

    /**
     * Checks that the arrays describe the same images.
     *
     * @param images       {@code [N, 3, 32, 32]} in [0, 1]
     * @param fineLabels   the fine class, 0..99, per image
     * @param coarseLabels the superclass, 0..19, per image
     * @throws IllegalArgumentException if {@code images} is not rank 4 or a label array's length differs from N
     */
    public Cifar100 {
        if (images.dim() != 4 || fineLabels.length != images.size(0) || coarseLabels.length != images.size(0)) {
            throw new IllegalArgumentException("Cifar100: " + fineLabels.length + " fine and " + coarseLabels.length
                    + " coarse labels for images of shape " + Arrays.toString(images.shape()));
        }
    }

    /**
     * Reads and concatenates the records of {@code files}, in that order.
     *
     * @param files the binary files ({@code train.bin}, {@code test.bin})
     * @return the images with their fine and coarse labels
     * @throws IOException if a file cannot be read or is malformed, or a fine class appears in two superclasses
     */
    public static Cifar100 read(Path... files) throws IOException {
        CifarBinary.Records r = CifarBinary.read("CIFAR-100", new int[] {NUM_COARSE_CLASSES, NUM_FINE_CLASSES}, files);
        int[] coarse = r.labels()[0];
        int[] fine = r.labels()[1];
        int[] superclassOf = new int[NUM_FINE_CLASSES];
        int[] firstSeen = new int[NUM_FINE_CLASSES];
        Arrays.fill(superclassOf, -1);
        for (int i = 0; i < fine.length; i++) {
            int f = fine[i];
            if (superclassOf[f] < 0) {
                superclassOf[f] = coarse[i];
                firstSeen[f] = i;
            } else if (superclassOf[f] != coarse[i]) {
                throw new IOException("CIFAR-100: record " + i + " of " + Arrays.toString(files) + " (coarse label at byte"
                        + " offset " + recordOffset(i, files) + ") puts fine class " + f + " in superclass " + coarse[i]
                        + ", but record " + firstSeen[f] + " put it in superclass " + superclassOf[f]);
            }
        }
        return new Cifar100(r.pixels(), fine, coarse);
    }

    /** The byte offset of record {@code i} counted from the start of the first file (all files share one layout). */
    private static String recordOffset(int i, Path[] files) {
        return files.length == 1 ? Long.toString((long) i * (2 + CifarBinary.IMAGE_BYTES))
                : (long) i * (2 + CifarBinary.IMAGE_BYTES) + " (counting across the files in order)";
    }

    /**
     * One split from a {@code cifar-100-binary} directory: {@code train.bin} (50,000) or {@code test.bin} (10,000).
     *
     * @param dir   the {@code cifar-100-binary} directory
     * @param split which split to read
     * @return the split's images with their fine and coarse labels
     * @throws IOException if the file is missing, cannot be read or is malformed
     */
    public static Cifar100 fromDirectory(Path dir, Split split) throws IOException {
        return read(CifarBinary.locate(dir, split == Split.TRAIN ? "train.bin" : "test.bin", "CIFAR-100"));
    }

    /**
     * The number of images.
     *
     * @return N
     */
    public int size() {
        return fineLabels.length;
    }

    /**
     * The images labelled with their fine class (CIFAR-100, 100 classes). Shares the image storage.
     *
     * @return the images with the fine labels 0..99
     */
    public Dataset cifar100() {
        return new Dataset(images, fineLabels);
    }

    /**
     * The images labelled with their superclass (the papers' CIFAR-20, 20 classes). Shares the image storage.
     *
     * @return the images with the coarse labels 0..19
     */
    public Dataset cifar20() {
        return new Dataset(images, coarseLabels);
    }
}
