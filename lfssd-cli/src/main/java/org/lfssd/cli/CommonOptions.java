package org.lfssd.cli;

import org.lfssd.kernels.Parallel;
import picocli.CommandLine.Option;

/** Options every command shares: output format, progress and threads. */
final class CommonOptions {
    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Option(names = "--json", description = "Print the result as one JSON document on stdout.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: lfssd.threads, else the CPU count).")
    int threads;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
    double progressSeconds;

    @Option(names = "--force", description = "Replace output files that exist already (default: refuse).")
    boolean force;

    /** Applies {@code --threads}. */
    void apply() {
        if (threads < 0) {
            throw new InputRejectedException("--threads must be positive, got " + threads);
        }
        if (threads > 0) {
            Parallel.setThreads(threads);
        }
    }
}
