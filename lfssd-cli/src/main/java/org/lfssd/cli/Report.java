package org.lfssd.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as one self-contained HTML file (plots inline as SVG, no external resources) and its Markdown
 * twin (the same sections; plots as SVG data URIs, followed by their numbers as tables).
 */
final class Report {
    private sealed interface Section permits Heading, Table, Plot, Text {}

    private record Heading(String text) implements Section {}

    private record Table(String title, List<String> header, List<List<String>> rows) implements Section {}

    private record Plot(String title, String svg) implements Section {}

    private record Text(String text) implements Section {}

    private final String title;
    private final List<Section> sections = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    Report heading(String text) {
        sections.add(new Heading(text));
        return this;
    }

    Report text(String text) {
        sections.add(new Text(text));
        return this;
    }

    Report table(String tableTitle, List<String> header, List<List<String>> rows) {
        sections.add(new Table(tableTitle, List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    /** A two-column table of names and values (settings, timings). */
    Report keyValues(String tableTitle, Map<String, ?> values) {
        List<List<String>> rows = new ArrayList<>();
        values.forEach((k, v) -> rows.add(List.of(k, value(v))));
        return table(tableTitle, List.of("setting", "value"), rows);
    }

    Report plot(String plotTitle, String svg) {
        sections.add(new Plot(plotTitle, svg));
        return this;
    }

    static String value(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.6g", d);
        }
        if (v instanceof float[] || v instanceof double[] || v instanceof int[] || v instanceof Map || v instanceof List) {
            return Json.write(v).replaceAll("\\s+", " ").trim();
        }
        return v.toString();
    }

    String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(Svg.esc(title))
                .append("</title>\n<style>\nbody{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}\n"
                        + "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:left;font-size:13px}th{background:#f3f3f3}figure{margin:1em 0}\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(Svg.esc(title)).append("</h1>\n");
        for (Section s : sections) {
            if (s instanceof Heading h) {
                sb.append("<h2>").append(Svg.esc(h.text())).append("</h2>\n");
            } else if (s instanceof Text t) {
                sb.append("<p>").append(Svg.esc(t.text())).append("</p>\n");
            } else if (s instanceof Table t) {
                if (!t.title().isEmpty()) {
                    sb.append("<h3>").append(Svg.esc(t.title())).append("</h3>\n");
                }
                sb.append("<table>\n<tr>");
                t.header().forEach(c -> sb.append("<th>").append(Svg.esc(c)).append("</th>"));
                sb.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    sb.append("<tr>");
                    row.forEach(c -> sb.append("<td>").append(Svg.esc(c)).append("</td>"));
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (s instanceof Plot p) {
                sb.append("<figure>\n").append(p.svg()).append("<figcaption>").append(Svg.esc(p.title()))
                        .append("</figcaption>\n</figure>\n");
            }
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (Section s : sections) {
            if (s instanceof Heading h) {
                sb.append("## ").append(h.text()).append("\n\n");
            } else if (s instanceof Text t) {
                sb.append(t.text()).append("\n\n");
            } else if (s instanceof Table t) {
                if (!t.title().isEmpty()) {
                    sb.append("### ").append(t.title()).append("\n\n");
                }
                sb.append("| ").append(String.join(" | ", t.header().stream().map(Report::md).toList())).append(" |\n|");
                sb.append("---|".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    sb.append("| ").append(String.join(" | ", row.stream().map(Report::md).toList())).append(" |\n");
                }
                sb.append('\n');
            } else if (s instanceof Plot p) {
                String data = Base64.getEncoder().encodeToString(p.svg().getBytes(StandardCharsets.UTF_8));
                sb.append("![").append(p.title()).append("](data:image/svg+xml;base64,").append(data).append(")\n\n");
            }
        }
        return sb.toString();
    }

    private static String md(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }
}
