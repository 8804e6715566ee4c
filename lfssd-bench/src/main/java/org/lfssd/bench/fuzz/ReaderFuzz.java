package org.lfssd.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The long fuzz run of the safetensors and IDX readers, for anyone to run (the test suite runs a short,
 * fixed one). Build once, then e.g. ten minutes per reader:
 * <pre>
 * mvn -q -DskipTests -pl lfssd-bench -am package
 * java -cp lfssd-bench/target/benchmarks.jar org.lfssd.bench.fuzz.ReaderFuzz --seconds 600 --seed 42
 * </pre>
 * Options: {@code --seconds S} per reader (default 60), {@code --seed N} (default: the current time, printed
 * so that a failure can be reproduced), {@code --max-inputs N} per reader (default unbounded). Prints the
 * counts per reader and every failure with its iteration and input (Base64); exits with 1 if any failed.
 */
public final class ReaderFuzz {
    private ReaderFuzz() {}

    public static void main(String[] args) throws IOException {
        long seconds = 60;
        long seed = System.currentTimeMillis();
        long maxInputs = Long.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--max-inputs" -> maxInputs = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: ReaderFuzz [--seconds S] [--seed N] [--max-inputs N]");
                    System.exit(2);
                }
            }
        }
        System.out.println("seed " + seed + ", " + seconds + " s per reader");
        Path scratch = Files.createTempDirectory("lfssd-fuzz");
        boolean failed = false;
        try {
            SafeTensorsFuzzer st = new SafeTensorsFuzzer(scratch);
            FuzzReport a = st.run(seed, maxInputs, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
            failed |= print(a, st.corpusSize());
            IdxFuzzer idx = new IdxFuzzer();
            FuzzReport b = idx.run(seed, maxInputs, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
            failed |= print(b, idx.corpusSize());
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private static boolean print(FuzzReport r, int corpus) {
        System.out.println(r + " (from " + corpus + " seed inputs)");
        r.failures().forEach(f -> System.out.println("  FAILURE " + f));
        return !r.failures().isEmpty();
    }
}
