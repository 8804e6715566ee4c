package org.lfssd.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lfssd.data.Dataset;
import org.lfssd.data.IdxArray;
import org.lfssd.data.IdxReader;

/**
 * Fashion-MNIST (Zalando SE, MIT License): 28×28 grey-scale images of 10 clothing classes.
 *
 * <p>A small subset ships inside the examples artifact (not the library) as the default demo data (the first 3,000 training and
 * 1,000 test images; see the README next to the resources for provenance). The full set can be read
 * from a directory holding the four standard files, gzip-compressed or not.
 */
public final class FashionMnist {
    private FashionMnist() {}

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final int NUM_CLASSES = 10;

    private static final String RESOURCE_DIR = "/org/lfssd/demo/fashion-mnist-subset/";

    /** Which half of the data set. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String filePrefix;

        Split(String filePrefix) {
            this.filePrefix = filePrefix;
        }

        String imagesFile() {
            return filePrefix + "-images-idx3-ubyte";
        }

        String labelsFile() {
            return filePrefix + "-labels-idx1-ubyte";
        }
    }

    /** The embedded subset: 3,000 training or 1,000 test images, as {@code [N, 1, 28, 28]} in [0, 1]. */
    public static Dataset embedded(Split split) throws IOException {
        IdxArray images = readResource(split.imagesFile() + ".gz");
        IdxArray labels = readResource(split.labelsFile() + ".gz");
        return toDataset(images, labels);
    }

    /**
     * The split read from {@code dir}, which holds the standard file names, each either gzip-compressed
     * ({@code .gz}) or plain.
     */
    public static Dataset fromDirectory(Path dir, Split split) throws IOException {
        return toDataset(IdxReader.read(locate(dir, split.imagesFile())), IdxReader.read(locate(dir, split.labelsFile())));
    }

    private static Path locate(Path dir, String baseName) throws IOException {
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new IOException("Fashion-MNIST file not found: neither " + gz + " nor " + plain);
    }

    private static IdxArray readResource(String name) throws IOException {
        String path = RESOURCE_DIR + name;
        try (InputStream in = FashionMnist.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("embedded Fashion-MNIST resource missing from the class path: " + path);
            }
            return IdxReader.read(in, "classpath:" + path);
        }
    }

    private static Dataset toDataset(IdxArray images, IdxArray labels) {
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException("Fashion-MNIST: " + images.source() + " has " + images.count()
                    + " images but " + labels.source() + " has " + labels.count() + " labels");
        }
        int[] y = labels.toLabels();
        for (int v : y) {
            if (v >= NUM_CLASSES) {
                throw new IllegalArgumentException("Fashion-MNIST: " + labels.source() + " holds label " + v
                        + " outside [0, " + NUM_CLASSES + ")");
            }
        }
        return new Dataset(images.toImages(), y);
    }
}
