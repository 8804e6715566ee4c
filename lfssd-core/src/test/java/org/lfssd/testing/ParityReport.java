package org.lfssd.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects {@link ErrorStats} per row (an op or fixture) and kind (e.g. "forward", "backward") and
 * formats them as one table line per row, so that a test can print the parity table a reviewer quotes:
 * for each kind the worst max-abs error, max-rel error and fraction of the tolerance used over
 * everything recorded for that row. Safe to use from parallel tests.
 */
public final class ParityReport {
    private final String title;
    /** row -> kind -> {maxAbs, maxRel, toleranceUsed}, rows and kinds in first-seen order. */
    private final Map<String, Map<String, double[]>> rows = new LinkedHashMap<>();
    private final List<String> kinds = new ArrayList<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    public ParityReport(String title) {
        this.title = title;
    }

    /** Records one comparison; the row keeps, per kind, the maxima over all its comparisons. */
    public synchronized void add(String row, String kind, ErrorStats stats) {
        if (!kinds.contains(kind)) {
            kinds.add(kind);
        }
        double[] worst = rows.computeIfAbsent(row, r -> new LinkedHashMap<>())
                .computeIfAbsent(kind, k -> new double[] {0, 0, 0});
        worst[0] = Math.max(worst[0], stats.maxAbs());
        worst[1] = Math.max(worst[1], stats.maxRel());
        worst[2] = Math.max(worst[2], stats.toleranceUsed());
        failures.merge(row, stats.failures(), Integer::sum);
    }

    /** Records that a row could not be compared at all (e.g. the op threw), so the table shows it. */
    public synchronized void error(String row, String reason) {
        rows.computeIfAbsent(row, r -> new LinkedHashMap<>());
        errors.put(row, reason);
    }

    public synchronized boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table: a header line, then per row and kind {@code maxAbs / maxRel / tolUsed} and a status. */
    public synchronized String format() {
        int width = Math.max(4, rows.keySet().stream().mapToInt(String::length).max().orElse(4));
        String rowFormat = "%-" + width + "s";
        StringBuilder sb = new StringBuilder(title).append('\n');
        sb.append(String.format(rowFormat, "case"));
        for (String kind : kinds) {
            sb.append(String.format(" | %-31s", kind + ": maxAbs / maxRel / tolUsed"));
        }
        sb.append(" | status\n");
        for (Map.Entry<String, Map<String, double[]>> row : rows.entrySet()) {
            sb.append(String.format(rowFormat, row.getKey()));
            for (String kind : kinds) {
                double[] w = row.getValue().get(kind);
                sb.append(w == null ? String.format(" | %-31s", "-")
                        : String.format(" | %9.3e / %9.3e / %5.3f", w[0], w[1], w[2]));
            }
            String error = errors.get(row.getKey());
            int failed = failures.getOrDefault(row.getKey(), 0);
            sb.append(" | ").append(error != null ? "ERROR " + error : failed == 0 ? "ok" : "FAIL (" + failed + " elements)")
                    .append('\n');
        }
        return sb.toString();
    }

    /** Prints {@link #format()} to standard output (surefire keeps it in the test report). */
    public void print() {
        System.out.print(format());
    }
}
