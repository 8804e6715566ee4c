package org.lfssd.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lfssd.eval.Accuracy;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.TensorDampening;

/** The report's plots and the tables with their numbers. */
final class ReportPlots {
    private static final int BINS = 60;

    private ReportPlots() {}

    static void perClassAccuracy(Report r, List<String> classNames, Accuracy before, Accuracy after, String beforeName,
                                 String afterName) {
        int k = classNames.size();
        double[] b = new double[k];
        double[] a = new double[k];
        List<String> labels = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            b[c] = before.ofClass(c);
            a[c] = after.ofClass(c);
            labels.add(c + " " + classNames.get(c));
            rows.add(List.of(Integer.toString(c), classNames.get(c), pct(b[c]), pct(a[c])));
        }
        r.plot("Test accuracy per class, " + beforeName + " and " + afterName, Svg.groupedBars(
                "Test accuracy per class", labels, List.of(new Svg.Series(beforeName, b), new Svg.Series(afterName, a)), 1.0,
                "accuracy"));
        r.table("Test accuracy per class", List.of("class", "name", beforeName, afterName), rows);
    }

    static void selectedFraction(Report r, DampeningReport d) {
        List<String> names = new ArrayList<>();
        double[] frac = new double[d.tensors().size()];
        double max = 0;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < d.tensors().size(); i++) {
            TensorDampening t = d.tensors().get(i);
            names.add(t.name());
            frac[i] = t.selectedFraction();
            max = Math.max(max, frac[i]);
            if (t.selected() > 0) {
                rows.add(List.of(t.name(), Long.toString(t.selected()), Long.toString(t.elements()),
                        String.format(Locale.ROOT, "%.4f%%", 100 * frac[i]), String.format(Locale.ROOT, "%.4g", t.minBeta()),
                        String.format(Locale.ROOT, "%.4g", t.meanBeta())));
            }
        }
        double yMax = max > 0 ? niceCeiling(max) : 1e-3;
        r.plot("Share of each parameter tensor selected and dampened", Svg.groupedBars("Selected fraction per tensor", names,
                List.of(new Svg.Series("selected / elements", frac)), yMax, "fraction selected"));
        r.table("Tensors with selected parameters", List.of("tensor", "selected", "elements", "share", "min beta",
                "mean beta"), rows);
    }

    static void alphaSweep(Report r, double[] alphas, double[] retain, double[] forget, double[] mia, String method) {
        r.plot("Retain and forget test accuracy and MIA against alpha (" + method + ")", Svg.lines("Alpha sweep: " + method, alphas,
                List.of(new Svg.Series("retain test acc", retain), new Svg.Series("forget test acc", forget),
                        new Svg.Series("MIA", mia)), 1.0, "alpha", "fraction", allPositive(alphas)));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < alphas.length; i++) {
            rows.add(List.of(Svg.num(alphas[i]), pct(retain[i]), pct(forget[i]), pct(mia[i])));
        }
        r.table("Alpha sweep", List.of("alpha", "retain test acc", "forget test acc", "MIA"), rows);
    }

    /** A histogram of log10(Ω_f/Ω_D) over the elements where both are positive, with log10(α) marked. */
    static void ratioHistogram(Report r, Importance omegaF, Importance omegaD, double alpha) {
        List<Double> logs = new ArrayList<>();
        long zeroD = 0;
        long zeroF = 0;
        for (Map.Entry<String, Tensor> e : omegaF.values().entrySet()) {
            float[] f = e.getValue().toArray();
            float[] d = omegaD.get(e.getKey()).toArray();
            for (int i = 0; i < f.length; i++) {
                if (d[i] == 0) {
                    zeroD++;
                } else if (f[i] == 0) {
                    zeroF++;
                } else {
                    logs.add(Math.log10((double) f[i] / d[i]));
                }
            }
        }
        double[] v = logs.stream().mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            r.text("No element has both Omega_f and Omega_D positive; no ratio histogram.");
            return;
        }
        double lo = Arrays.stream(v).min().getAsDouble();
        double hi = Arrays.stream(v).max().getAsDouble();
        double mark = Math.log10(alpha);
        if (Double.isFinite(mark)) {
            lo = Math.min(lo, mark);
            hi = Math.max(hi, mark);
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        long[] counts = new long[BINS];
        long above = 0;
        for (double x : v) {
            int b = (int) Math.min(BINS - 1, Math.floor((x - lo) / (hi - lo) * BINS));
            counts[b]++;
            if (x > mark) {
                above++;
            }
        }
        r.plot("Histogram of log10(Omega_f / Omega_D) over " + v.length + " parameters; the dashed line is log10(alpha)",
                Svg.histogram("log10(Omega_f / Omega_D)", counts, lo, hi, mark,
                        String.format(Locale.ROOT, "alpha = %.4g", alpha), "log10(Omega_f / Omega_D)"));
        r.text(String.format(Locale.ROOT, "%,d ratios plotted, %,d of them above alpha; left out: %,d with Omega_D = 0,"
                + " %,d with Omega_f = 0.", v.length, above, zeroD, zeroF));
    }

    private static boolean allPositive(double[] v) {
        return Arrays.stream(v).allMatch(x -> x > 0) && v.length > 1 && Arrays.stream(v).max().getAsDouble()
                / Arrays.stream(v).min().getAsDouble() > 20;
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
