package org.lfssd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lfssd.data.Cifar10;
import org.lfssd.data.Cifar100;
import org.lfssd.data.Dataset;
import org.lfssd.data.ImageFolder;
import org.lfssd.data.Normalization;
import org.lfssd.data.Split;
import org.lfssd.demo.FashionMnist;

/**
 * A data source given as one string: {@code fmnist:embedded}, {@code fmnist:DIR}, {@code cifar10:DIR},
 * {@code cifar100:DIR}, {@code cifar20:DIR} or {@code folder:DIR}, read as raw images in [0, 1] with the
 * source's official preprocessing as the default.
 *
 * @param spec          the string as given
 * @param train         raw training images with labels
 * @param test          raw test images with labels
 * @param classNames    the class names, indexed by label
 * @param trainFine     CIFAR-20 only: the fine (CIFAR-100) class of each training image, else null
 * @param testFine      CIFAR-20 only: the fine class of each test image, else null
 * @param defaults      the official preprocessing of this source
 */
record DataSource(String spec, Dataset train, Dataset test, List<String> classNames, int[] trainFine, int[] testFine,
                  Preprocessing defaults) {

    /** Fashion-MNIST's pixel mean and standard deviation over the training set (in [0, 1]). */
    static final float FMNIST_MEAN = 0.2860f;
    static final float FMNIST_STD = 0.3530f;

    static final String KINDS = "fmnist:embedded, fmnist:DIR, cifar10:DIR, cifar100:DIR, cifar20:DIR, folder:DIR";

    int numClasses() {
        return classNames.size();
    }

    /**
     * Reads a source.
     *
     * @throws InputRejectedException for an unknown kind or a missing folder
     * @throws IOException if the files cannot be read
     */
    static DataSource read(String spec) throws IOException {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new InputRejectedException("unknown data source '" + spec + "': expected one of " + KINDS);
        }
        String kind = spec.substring(0, colon);
        String arg = spec.substring(colon + 1);
        Preprocessing official = new Preprocessing(3, 0, 0, Normalization.OFFICIAL.mean(), Normalization.OFFICIAL.std());
        switch (kind) {
            case "fmnist": {
                Preprocessing fm = new Preprocessing(1, 0, 0, new float[] {FMNIST_MEAN}, new float[] {FMNIST_STD});
                if (arg.equals("embedded")) {
                    return new DataSource(spec, FashionMnist.embedded(FashionMnist.Split.TRAIN),
                            FashionMnist.embedded(FashionMnist.Split.TEST), FashionMnist.CLASS_NAMES, null, null, fm);
                }
                Path dir = directory(spec, arg);
                return new DataSource(spec, FashionMnist.fromDirectory(dir, FashionMnist.Split.TRAIN),
                        FashionMnist.fromDirectory(dir, FashionMnist.Split.TEST), FashionMnist.CLASS_NAMES, null, null, fm);
            }
            case "cifar10": {
                Path dir = directory(spec, arg);
                return new DataSource(spec, Cifar10.fromDirectory(dir, Split.TRAIN), Cifar10.fromDirectory(dir, Split.TEST),
                        Cifar10.CLASS_NAMES, null, null, official);
            }
            case "cifar100":
            case "cifar20": {
                Path dir = directory(spec, arg);
                Cifar100 tr = Cifar100.fromDirectory(dir, Split.TRAIN);
                Cifar100 te = Cifar100.fromDirectory(dir, Split.TEST);
                boolean coarse = kind.equals("cifar20");
                int n = coarse ? Cifar100.NUM_COARSE_CLASSES : Cifar100.NUM_FINE_CLASSES;
                return new DataSource(spec, coarse ? tr.cifar20() : tr.cifar100(), coarse ? te.cifar20() : te.cifar100(),
                        numbered(n), coarse ? tr.fineLabels() : null, coarse ? te.fineLabels() : null, official);
            }
            case "folder": {
                Path dir = directory(spec, arg);
                Path trainDir = dir.resolve("train");
                Path testDir = dir.resolve("test");
                boolean split = Files.isDirectory(trainDir) && Files.isDirectory(testDir);
                ImageFolder tr = ImageFolder.read(split ? trainDir : dir, 0);
                ImageFolder te = split ? ImageFolder.read(testDir, 0) : tr;
                if (!tr.classNames().equals(te.classNames())) {
                    throw new InputRejectedException(spec + ": train/ and test/ have different class folders: "
                            + tr.classNames() + " vs " + te.classNames());
                }
                return new DataSource(spec, tr.data(), te.data(), tr.classNames(), null, null, official);
            }
            default:
                throw new InputRejectedException("unknown data source '" + spec + "': expected one of " + KINDS);
        }
    }

    private static Path directory(String spec, String arg) {
        if (arg.isEmpty()) {
            throw new InputRejectedException("data source '" + spec + "' names no folder (e.g. " + spec + "/path/to/data)");
        }
        Path dir = Path.of(arg);
        if (!Files.isDirectory(dir)) {
            throw new InputRejectedException("data source '" + spec + "': no such folder: " + dir);
        }
        return dir;
    }

    private static List<String> numbered(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
