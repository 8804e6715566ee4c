package org.lfssd.bench.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a fuzz run: how many inputs were tried, accepted and rejected, and the failures (an
 * input that crashed, hung, was rejected without naming its source, or was accepted with wrong content).
 */
public final class FuzzReport {
    private final String target;
    private long inputs;
    private long accepted;
    private long rejected;
    private long maxNanos;
    private final List<String> failures = new ArrayList<>();

    FuzzReport(String target) {
        this.target = target;
    }

    void accepted(long nanos) {
        inputs++;
        accepted++;
        maxNanos = Math.max(maxNanos, nanos);
    }

    void rejected(long nanos) {
        inputs++;
        rejected++;
        maxNanos = Math.max(maxNanos, nanos);
    }

    void failed(long nanos, String what) {
        inputs++;
        maxNanos = Math.max(maxNanos, nanos);
        if (failures.size() < 20) {
            failures.add(what);
        } else if (failures.size() == 20) {
            failures.add("... (further failures not listed)");
        }
    }

    public String target() {
        return target;
    }

    public long inputs() {
        return inputs;
    }

    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return rejected;
    }

    /** The failures, described with the iteration (and so the input) that reproduces each. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** The slowest single input, in milliseconds. */
    public double slowestMillis() {
        return maxNanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %d inputs, %d accepted, %d rejected with a named error,"
                + " %d failures; slowest input %.1f ms", target, inputs, accepted, rejected, inputs - accepted - rejected,
                slowestMillis());
    }
}
