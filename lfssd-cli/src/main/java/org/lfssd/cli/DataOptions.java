package org.lfssd.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lfssd.data.Dataset;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --data} with its limits and preprocessing overrides. */
final class DataOptions {
    @Option(names = {"-d", "--data"}, required = true, paramLabel = "SOURCE",
            description = "Data: fmnist:embedded, fmnist:DIR, cifar10:DIR, cifar100:DIR, cifar20:DIR or folder:DIR"
                    + " (class sub-folders, optionally under train/ and test/).")
    String source;

    @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training images.")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Use only the first N test images.")
    int testLimit;

    @ArgGroup(exclusive = false, heading = "Preprocessing (default: the data source's official one):%n")
    PreprocessingOptions preprocessing = new PreprocessingOptions();

    /** The source read, limited and preprocessed. */
    Prepared load() throws IOException {
        DataSource src = DataSource.read(source);
        Preprocessing prep = (preprocessing == null ? new PreprocessingOptions() : preprocessing).applyTo(src.defaults());
        Dataset train = limit(src.train(), trainLimit, "--train-limit");
        Dataset test = limit(src.test(), testLimit, "--test-limit");
        int[] trainFine = src.trainFine() == null ? null : java.util.Arrays.copyOf(src.trainFine(), train.size());
        int[] testFine = src.testFine() == null ? null : java.util.Arrays.copyOf(src.testFine(), test.size());
        return new Prepared(src, prep, prep.apply(train, source + " (training set)"), prep.apply(test, source + " (test set)"),
                trainFine, testFine);
    }

    private static Dataset limit(Dataset d, int n, String option) {
        if (n < 0) {
            throw new InputRejectedException(option + " must be >= 0, got " + n);
        }
        return n > 0 && n < d.size() ? d.first(n) : d;
    }

    /** What the audit record and {@code --json} say about the data. */
    Map<String, Object> describe(Prepared p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("train_images", p.train().size());
        m.put("test_images", p.test().size());
        m.put("train_limit", trainLimit > 0 ? trainLimit : null);
        m.put("test_limit", testLimit > 0 ? testLimit : null);
        m.put("preprocessing", p.preprocessing().toMap());
        return m;
    }

    /**
     * A source ready for the model.
     *
     * @param source        the raw source
     * @param preprocessing what was applied
     * @param train         preprocessed training images
     * @param test          preprocessed test images
     * @param trainFine     CIFAR-20 fine labels of the training images, else null
     * @param testFine      CIFAR-20 fine labels of the test images, else null
     */
    record Prepared(DataSource source, Preprocessing preprocessing, Dataset train, Dataset test, int[] trainFine,
                    int[] testFine) {
        int numClasses() {
            return source.numClasses();
        }
    }
}
