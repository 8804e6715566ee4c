package org.lfssd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One small trained model and its Ω_D, made once per test JVM through the tool itself: a width/16 ResNet18
 * (44,550 parameters) trained for one epoch on the first 300 images of the embedded Fashion-MNIST subset.
 */
final class Fixture {
    static final String[] DATA = {"--data", "fmnist:embedded", "--train-limit", "300", "--test-limit", "200"};

    static final Path DIR;
    static final Path MODEL;
    static final Path OMEGA_D;
    static final Cli TRAIN;
    static final Cli IMPORTANCE;

    static {
        try {
            DIR = Files.createTempDirectory("lfssd-cli-fixture");
            Runtime.getRuntime().addShutdownHook(new Thread(Fixture::deleteDir));
            MODEL = DIR.resolve("model.safetensors");
            OMEGA_D = DIR.resolve("omega-d.safetensors");
            TRAIN = Cli.run(concat(new String[] {"train", "-q", "--width-divisor", "16", "--epochs", "1", "--lr", "0.05",
                "-o", MODEL.toString()}, DATA));
            assertEquals(0, TRAIN.code(), TRAIN::toString);
            IMPORTANCE = Cli.run(concat(new String[] {"importance", "-q", MODEL.toString(), "-o", OMEGA_D.toString()}, DATA));
            assertEquals(0, IMPORTANCE.code(), IMPORTANCE::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Fixture() {}

    private static void deleteDir() {
        try (var files = Files.walk(DIR)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove the test fixture " + DIR + ": " + e);
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The command, then the fixture's data options, then {@code more}. */
    static String[] args(String[] command, String... more) {
        return concat(concat(command, DATA), more);
    }
}
