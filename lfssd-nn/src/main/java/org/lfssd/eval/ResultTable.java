package org.lfssd.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The rows of an {@link Experiment}, with CSV, JSON and plain-text renderings. Numbers are written with
 * full double precision in CSV and JSON (NaN as an empty CSV field and JSON {@code null}).
 *
 * @param rows the results, in the order they were produced (seed, then method)
 */
public record ResultTable(List<ExperimentResult> rows) {

    /**
     * Copies the list.
     *
     * @param rows the results, in the order they were produced (seed, then method)
     */
    public ResultTable {
        rows = List.copyOf(rows);
    }

    /**
     * The row for {@code method} and {@code seed}, or an error naming what exists.
     *
     * @param method the method name
     * @param seed   the seed
     * @return the first row with that method and seed
     * @throws IllegalArgumentException if there is none
     */
    public ExperimentResult get(String method, long seed) {
        for (ExperimentResult r : rows) {
            if (r.method().equals(method) && r.seed() == seed) {
                return r;
            }
        }
        throw new IllegalArgumentException("ResultTable: no row for method " + method + " seed " + seed + " among "
                + rows.stream().map(r -> r.method() + "/" + r.seed()).toList());
    }

    /**
     * RFC 4180 CSV with a header line ({@link ExperimentResult#COLUMNS}).
     *
     * @return the CSV text, one line per row, each line ending in a newline
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", ExperimentResult.COLUMNS)).append('\n');
        for (ExperimentResult r : rows) {
            sb.append(csv(r.scenario())).append(',').append(csv(r.method())).append(',').append(r.seed());
            for (double v : numbers(r)) {
                sb.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
            }
            sb.append(',').append(csv(r.details())).append('\n');
        }
        return sb.toString();
    }

    /**
     * A JSON array of objects keyed by {@link ExperimentResult#COLUMNS}.
     *
     * @return the pretty-printed JSON text
     */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (ExperimentResult r : rows) {
                g.writeStartObject();
                g.writeStringField("scenario", r.scenario());
                g.writeStringField("method", r.method());
                g.writeNumberField("seed", r.seed());
                double[] v = numbers(r);
                for (int i = 0; i < v.length; i++) {
                    g.writeFieldName(ExperimentResult.COLUMNS.get(3 + i));
                    if (Double.isNaN(v[i])) {
                        g.writeNull();
                    } else {
                        g.writeNumber(v[i]);
                    }
                }
                g.writeStringField("details", r.details());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString() + "\n";
    }

    /**
     * Writes {@link #toCsv()} to {@code file} (UTF-8).
     *
     * @param file the file to create or overwrite
     * @throws IOException if the file cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    /**
     * Writes {@link #toJson()} to {@code file} (UTF-8).
     *
     * @param file the file to create or overwrite
     * @throws IOException if the file cannot be written
     */
    public void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /**
     * A fixed-width text table: accuracies and MIA in percent, ZRF and distances as fractions, times in seconds.
     *
     * @return the table, one line per row after a header
     */
    public String format() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%-20s %4s %7s %7s %7s %7s %7s %7s %6s %7s %7s %8s %8s%n", "method", "seed", "test%", "Dr%", "Df%",
                "Dr-tr%", "Df-tr%", "MIA%", "ZRF", "AD-orig", "AD-retr", "time[s]", "OmegaD[s]"));
        for (ExperimentResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%-20s %4d %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %6.4f %7.4f %7.4f %8.2f %8.2f%n",
                    r.method(), r.seed(), 100 * r.testAccuracy(), 100 * r.retainTestAccuracy(), 100 * r.forgetTestAccuracy(),
                    100 * r.retainTrainAccuracy(), 100 * r.forgetTrainAccuracy(), 100 * r.mia(), r.zrf(),
                    r.activationDistanceToOriginal(), r.activationDistanceToRetrain(), r.seconds(), r.omegaDSeconds()));
        }
        return sb.toString();
    }

    private static double[] numbers(ExperimentResult r) {
        return new double[] {r.testAccuracy(), r.retainTestAccuracy(), r.forgetTestAccuracy(), r.retainTrainAccuracy(),
                r.forgetTrainAccuracy(), r.mia(), r.zrf(), r.activationDistanceToOriginal(), r.activationDistanceToRetrain(),
                r.seconds(), r.omegaDSeconds()};
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
