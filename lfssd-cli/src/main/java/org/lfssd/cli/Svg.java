package org.lfssd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's plots as inline SVG: grouped bars, lines and a histogram with a marker. The browser draws
 * the text, so nothing depends on the fonts or the AWT of the machine that ran the tool, and the HTML stays
 * one small self-contained file.
 */
final class Svg {
    private static final int W = 640;
    private static final int H = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 70;
    static final String[] COLORS = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1"};

    private Svg() {}

    /** One named series of values. */
    record Series(String name, double[] values) {}

    /** Bars per category, one bar per series side by side; y from 0 to {@code yMax}. */
    static String groupedBars(String title, List<String> categories, List<Series> series, double yMax, String yLabel) {
        StringBuilder sb = open(title);
        axes(sb, 0, yMax, yLabel);
        int n = categories.size();
        double slot = (W - LEFT - RIGHT) / (double) Math.max(1, n);
        double bar = slot * 0.8 / Math.max(1, series.size());
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double h = (H - TOP - BOTTOM) * Math.min(v, yMax) / yMax;
                double x = LEFT + i * slot + slot * 0.1 + s * bar;
                sb.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.4g</title></rect>%n",
                        x, H - BOTTOM - h, bar, h, COLORS[s % COLORS.length], esc(series.get(s).name()),
                        esc(categories.get(i)), v));
            }
            double cx = LEFT + (i + 0.5) * slot;
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-40 %.1f %d)\">%s</text>%n",
                    cx, H - BOTTOM + 14, cx, H - BOTTOM + 14, esc(categories.get(i))));
        }
        legend(sb, series);
        return sb.append("</svg>\n").toString();
    }

    /** Lines over a shared numeric x axis (log scale when {@code logX}); y from 0 to {@code yMax}. */
    static String lines(String title, double[] x, List<Series> series, double yMax, String xLabel, String yLabel, boolean logX) {
        StringBuilder sb = open(title);
        axes(sb, 0, yMax, yLabel);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            double t = logX ? Math.log10(v) : v;
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        for (int i = 0; i < x.length; i++) {
            double px = xPos(logX ? Math.log10(x[i]) : x[i], lo, hi);
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n", px, H - BOTTOM + 14,
                    esc(num(x[i]))));
        }
        sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", (LEFT + W - RIGHT) / 2,
                H - BOTTOM + 32, esc(xLabel + (logX ? " (log scale)" : ""))));
        for (int s = 0; s < series.size(); s++) {
            StringBuilder pts = new StringBuilder();
            double[] v = series.get(s).values();
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(v[i])) {
                    continue;
                }
                double px = xPos(logX ? Math.log10(x[i]) : x[i], lo, hi);
                double py = H - BOTTOM - (H - TOP - BOTTOM) * Math.min(v[i], yMax) / yMax;
                pts.append(f("%.1f,%.1f ", px, py));
                sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s at %s: %.4g</title></circle>%n", px, py,
                        COLORS[s % COLORS.length], esc(series.get(s).name()), esc(num(x[i])), v[i]));
            }
            sb.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", pts.toString().trim(),
                    COLORS[s % COLORS.length]));
        }
        legend(sb, series);
        return sb.append("</svg>\n").toString();
    }

    /** A histogram of {@code counts} over equal bins from {@code lo} to {@code hi}, with a vertical marker. */
    static String histogram(String title, long[] counts, double lo, double hi, double marker, String markerLabel, String xLabel) {
        StringBuilder sb = open(title);
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        double logMax = Math.log10(max + 1.0);
        axes(sb, 0, logMax, "log10(1 + count)");
        double bw = (W - LEFT - RIGHT) / (double) counts.length;
        for (int i = 0; i < counts.length; i++) {
            double h = (H - TOP - BOTTOM) * Math.log10(counts[i] + 1.0) / logMax;
            sb.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>[%.3g, %.3g): %d</title></rect>%n",
                    LEFT + i * bw, H - BOTTOM - h, Math.max(bw - 0.5, 0.5), h, COLORS[0], lo + i * (hi - lo) / counts.length,
                    lo + (i + 1) * (hi - lo) / counts.length, counts[i]));
        }
        for (int k = 0; k <= 4; k++) {
            double v = lo + k * (hi - lo) / 4;
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n", xPos(v, lo, hi),
                    H - BOTTOM + 14, esc(num(v))));
        }
        sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", (LEFT + W - RIGHT) / 2,
                H - BOTTOM + 32, esc(xLabel)));
        if (Double.isFinite(marker)) {
            double mx = xPos(Math.max(lo, Math.min(hi, marker)), lo, hi);
            sb.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>%n",
                    mx, TOP, mx, H - BOTTOM, COLORS[1]));
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>%n", mx + 4, TOP + 12, COLORS[1],
                    esc(markerLabel)));
        }
        return sb.append("</svg>\n").toString();
    }

    private static double xPos(double v, double lo, double hi) {
        return LEFT + 10 + (W - LEFT - RIGHT - 20) * (v - lo) / (hi - lo);
    }

    private static StringBuilder open(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" role=\"img\" aria-label=\"%s\">%n", W, H, W, H, esc(title)));
        sb.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(f("<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">%s</text>%n", W / 2, esc(title)));
        return sb;
    }

    private static void axes(StringBuilder sb, double lo, double hi, String yLabel) {
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, H - BOTTOM));
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
        for (int k = 0; k <= 4; k++) {
            double v = lo + k * (hi - lo) / 4;
            double y = H - BOTTOM - (H - TOP - BOTTOM) * k / 4.0;
            sb.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, W - RIGHT, y));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n", LEFT - 4, y + 3, esc(num(v))));
        }
        sb.append(f("<text x=\"14\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, esc(yLabel)));
    }

    private static void legend(StringBuilder sb, List<Series> series) {
        List<String> items = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            int x = LEFT + 10 + s * 150;
            items.add(f("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    x, H - 18, COLORS[s % COLORS.length], x + 14, H - 9, esc(series.get(s).name())));
        }
        sb.append(String.join("\n", items)).append('\n');
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6) {
            // Four significant digits without trailing zeros: 1.5, 0.0125, 12.34.
            return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
