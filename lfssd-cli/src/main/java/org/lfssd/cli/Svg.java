package org.lfssd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The report's plots as inline SVG: grouped bars, lines and a histogram with a marker. The browser draws
 * the text, so nothing depends on the fonts or the AWT of the machine that ran the tool, and the HTML stays
 * one small self-contained file.
 */
final class Svg {
    private static final int MIN_WIDTH = 640;
    private static final int PLOT_HEIGHT = 200;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int MIN_BOTTOM = 70;
    /** Below this many categories the labels are slanted; above, vertical, one per 14-pixel slot. */
    private static final int SLANTED_LABELS_UP_TO = 12;
    static final String[] COLORS = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1"};

    private Svg() {}

    /** One named series of values. */
    record Series(String name, double[] values) {}

    /** The drawing area of one chart: the SVG size and the plot rectangle inside it. */
    private record Frame(int width, int height, int bottom) {
        int x0() {
            return LEFT;
        }

        int x1() {
            return width - RIGHT;
        }

        int y0() {
            return height - bottom;
        }

        /** The y coordinate of a value in [0, 1] of the plot height. */
        double y(double fraction) {
            return y0() - (y0() - TOP) * fraction;
        }
    }

    /** Bars per category, one bar per series side by side; y from 0 to {@code yMax}. */
    static String groupedBars(String title, List<String> categories, List<Series> series, double yMax, String yLabel) {
        int n = Math.max(1, categories.size());
        boolean vertical = n > SLANTED_LABELS_UP_TO;
        double slot = Math.max(vertical ? 14 : 0, (MIN_WIDTH - LEFT - RIGHT) / (double) n);
        int width = (int) Math.ceil(LEFT + RIGHT + n * slot);
        int longest = categories.stream().mapToInt(String::length).max().orElse(1);
        // Room below the axis for the longest label (about 5.6 px per character at 10 px) and the legend.
        int bottom = (int) Math.max(MIN_BOTTOM, 40 + longest * 5.6 * (vertical ? 1 : Math.sin(Math.toRadians(40))));
        Frame fr = new Frame(width, TOP + PLOT_HEIGHT + bottom, bottom);
        StringBuilder sb = open(title, fr);
        yAxis(sb, fr, niceTicks(0, yMax, 5), v -> v / yMax, yLabel);
        double bar = slot * 0.8 / Math.max(1, series.size());
        for (int i = 0; i < categories.size(); i++) {
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double top = fr.y(Math.min(v, yMax) / yMax);
                double x = LEFT + i * slot + slot * 0.1 + s * bar;
                sb.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.4g</title></rect>%n",
                        x, top, bar, fr.y0() - top, color(s), esc(series.get(s).name()), esc(categories.get(i)), v));
            }
            double cx = LEFT + (i + 0.5) * slot + (vertical ? 3 : 0);
            int ly = fr.y0() + (vertical ? 6 : 14);
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(%d %.1f %d)\">%s</text>%n",
                    cx, ly, vertical ? -90 : -40, cx, ly, esc(categories.get(i))));
        }
        legend(sb, fr, series);
        return sb.append("</svg>\n").toString();
    }

    /** Lines over a shared numeric x axis (log scale when {@code logX}); y from 0 to {@code yMax}. */
    static String lines(String title, double[] x, List<Series> series, double yMax, String xLabel, String yLabel, boolean logX) {
        Frame fr = new Frame(MIN_WIDTH, TOP + PLOT_HEIGHT + MIN_BOTTOM, MIN_BOTTOM);
        StringBuilder sb = open(title, fr);
        yAxis(sb, fr, niceTicks(0, yMax, 5), v -> v / yMax, yLabel);
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
        for (double v : x) {
            xTick(sb, fr, xPos(fr, logX ? Math.log10(v) : v, lo, hi), num(v));
        }
        xTitle(sb, fr, xLabel + (logX ? " (log scale)" : ""));
        for (int s = 0; s < series.size(); s++) {
            StringBuilder pts = new StringBuilder();
            double[] v = series.get(s).values();
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(v[i])) {
                    continue;
                }
                double px = xPos(fr, logX ? Math.log10(x[i]) : x[i], lo, hi);
                double py = fr.y(Math.min(v[i], yMax) / yMax);
                pts.append(f("%.1f,%.1f ", px, py));
                sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s at %s: %.4g</title></circle>%n", px, py,
                        color(s), esc(series.get(s).name()), esc(num(x[i])), v[i]));
            }
            sb.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", pts.toString().trim(), color(s)));
        }
        legend(sb, fr, series);
        return sb.append("</svg>\n").toString();
    }

    /**
     * A histogram of {@code counts} over equal bins from {@code lo} to {@code hi}, with a dashed vertical marker.
     * Counts are drawn on a log scale (ticks at 1, 10, 100, …) so that sparse tails stay visible.
     */
    static String histogram(String title, long[] counts, double lo, double hi, double marker, String markerLabel, String xLabel) {
        Frame fr = new Frame(MIN_WIDTH, TOP + PLOT_HEIGHT + MIN_BOTTOM, MIN_BOTTOM);
        StringBuilder sb = open(title, fr);
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        double logMax = Math.log10(max + 1.0);
        List<Double> yTicks = new ArrayList<>(List.of(0.0));
        for (long c = 1; c <= max; c *= 10) {
            yTicks.add((double) c);
        }
        yAxis(sb, fr, yTicks, c -> Math.log10(c + 1) / logMax, "count (log scale)");
        double bw = (fr.x1() - fr.x0()) / (double) counts.length;
        for (int i = 0; i < counts.length; i++) {
            double top = fr.y(Math.log10(counts[i] + 1.0) / logMax);
            sb.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>[%.3g, %.3g): %d</title></rect>%n",
                    LEFT + i * bw, top, Math.max(bw - 0.5, 0.5), fr.y0() - top, color(0), lo + i * (hi - lo) / counts.length,
                    lo + (i + 1) * (hi - lo) / counts.length, counts[i]));
        }
        for (double v : niceTicks(lo, hi, 6)) {
            xTick(sb, fr, fr.x0() + (fr.x1() - fr.x0()) * (v - lo) / (hi - lo), num(v));
        }
        xTitle(sb, fr, xLabel);
        if (Double.isFinite(marker)) {
            double mx = fr.x0() + (fr.x1() - fr.x0()) * (Math.max(lo, Math.min(hi, marker)) - lo) / (hi - lo);
            sb.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>%n",
                    mx, TOP, mx, fr.y0(), color(1)));
            boolean right = mx < fr.x1() - 110;
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"%s\" text-anchor=\"%s\">%s</text>%n",
                    right ? mx + 4 : mx - 4, TOP - 3, color(1), right ? "start" : "end", esc(markerLabel)));
        }
        return sb.append("</svg>\n").toString();
    }

    /** Round values ({@code 1, 2 or 5 × 10^k} apart) covering [lo, hi], at most about {@code count + 1} of them. */
    static List<Double> niceTicks(double lo, double hi, int count) {
        double raw = (hi - lo) / count;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = p * 10;
        for (double m : new double[] {1, 2, 5}) {
            if (m * p >= raw) {
                step = m * p;
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
            ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return ticks;
    }

    private static double xPos(Frame fr, double v, double lo, double hi) {
        return fr.x0() + 10 + (fr.x1() - fr.x0() - 20) * (v - lo) / (hi - lo);
    }

    private static StringBuilder open(String title, Frame fr) {
        StringBuilder sb = new StringBuilder();
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" role=\"img\" aria-label=\"%s\">%n", fr.width(), fr.height(), fr.width(), fr.height(),
                esc(title)));
        sb.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", fr.width(), fr.height()));
        sb.append(f("<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">%s</text>%n",
                fr.width() / 2, esc(title)));
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, fr.y0()));
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, fr.y0(), fr.x1(), fr.y0()));
        return sb;
    }

    /** Grid lines and labels at {@code ticks}; {@code fraction} maps a value to [0, 1] of the plot height. */
    private static void yAxis(StringBuilder sb, Frame fr, List<Double> ticks, DoubleUnaryOperator fraction, String label) {
        for (double v : ticks) {
            double y = fr.y(fraction.applyAsDouble(v));
            sb.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, fr.x1(), y));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n", LEFT - 4, y + 3, esc(num(v))));
        }
        int mid = (TOP + fr.y0()) / 2;
        sb.append(f("<text x=\"14\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                mid, mid, esc(label)));
    }

    private static void xTick(StringBuilder sb, Frame fr, double x, String label) {
        sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n", x, fr.y0() + 14, esc(label)));
    }

    private static void xTitle(StringBuilder sb, Frame fr, String label) {
        sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", (fr.x0() + fr.x1()) / 2,
                fr.y0() + 32, esc(label)));
    }

    private static void legend(StringBuilder sb, Frame fr, List<Series> series) {
        for (int s = 0; s < series.size(); s++) {
            int x = LEFT + 10 + s * 150;
            sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>%n",
                    x, fr.height() - 18, color(s), x + 14, fr.height() - 9, esc(series.get(s).name())));
        }
    }

    private static String color(int series) {
        return COLORS[series % COLORS.length];
    }

    /** A number for a label: integers as such, otherwise four significant digits without trailing zeros. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6) {
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
