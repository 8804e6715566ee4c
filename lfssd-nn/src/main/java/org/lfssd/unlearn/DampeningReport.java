package org.lfssd.unlearn;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of one {@code forget}/{@code dampen} call: per parameter tensor how many scalars were
 * selected and by how much they were scaled, the totals, the α that was used (given or adaptive), the
 * largest ratio Ω_f/Ω_D present (nothing can be selected unless it exceeds α), and the time spent.
 *
 * @param method            the importance method
 * @param alpha             the selection threshold actually used
 * @param adaptivePercentile the percentile level p when α was chosen adaptively, NaN otherwise
 * @param lambda            the dampening constant
 * @param maxRatio          the largest Ω_f/Ω_D over all elements (+∞ if some Ω_D is 0 where Ω_f is not,
 *                          NaN if every ratio is 0/0)
 * @param tensors           one entry per parameter tensor, in model order
 * @param forgetImportanceNanos time of the forget-set importance pass (0 if Ω_f was supplied)
 * @param dampeningNanos    time of selection, validation and the weight update
 */
public record DampeningReport(Method method, double alpha, double adaptivePercentile, double lambda, double maxRatio,
                              List<TensorDampening> tensors, long forgetImportanceNanos, long dampeningNanos) {

    /**
     * Copies the tensor list, so the report is immutable.
     *
     * @param method            the importance method
     * @param alpha             the selection threshold actually used
     * @param adaptivePercentile the percentile level p when α was chosen adaptively, NaN otherwise
     * @param lambda            the dampening constant
     * @param maxRatio          the largest Ω_f/Ω_D over all elements (+∞ if some Ω_D is 0 where Ω_f is not,
     *                          NaN if every ratio is 0/0)
     * @param tensors           one entry per parameter tensor, in model order
     * @param forgetImportanceNanos time of the forget-set importance pass (0 if Ω_f was supplied)
     * @param dampeningNanos    time of selection, validation and the weight update
     */
    public DampeningReport {
        tensors = List.copyOf(tensors);
    }

    /** {@return the number of scalar parameters considered} */
    public long totalElements() {
        return tensors.stream().mapToLong(TensorDampening::elements).sum();
    }

    /** {@return the number of scalar parameters selected and dampened} */
    public long totalSelected() {
        return tensors.stream().mapToLong(TensorDampening::selected).sum();
    }

    /**
     * The number of parameter tensors with at least one selected element.
     *
     * @return the count of touched tensors
     */
    public long tensorsTouched() {
        return tensors.stream().filter(t -> t.selected() > 0).count();
    }

    /**
     * True when nothing was selected: the model was left unchanged.
     *
     * @return true if no weight changed
     */
    public boolean nothingSelected() {
        return totalSelected() == 0;
    }

    /**
     * The totals in one line, as logged at INFO after each dampening, e.g.
     * {@code LFSSD dampening: selected 6,551 of 11,173,962 parameters (0.0586%) in 21 of 62 tensors, alpha=10,
     * lambda=1, max ratio Omega_f/Omega_D=1278; importance pass 8012.3 ms, dampening 81.2 ms}.
     *
     * @return the one-line summary (no per-tensor detail; {@link #toString()} has that)
     */
    public String summary() {
        return String.format(Locale.ROOT, "%s dampening: selected %,d of %,d parameters (%.4f%%) in %d of %d tensors,"
                        + " alpha=%s%s, lambda=%s, max ratio Omega_f/Omega_D=%s; importance pass %.1f ms, dampening %.1f ms",
                method, totalSelected(), totalElements(), 100.0 * totalSelected() / Math.max(1, totalElements()),
                tensorsTouched(), tensors.size(), fmt(alpha), Double.isNaN(adaptivePercentile) ? ""
                        : String.format(Locale.ROOT, " (adaptive, percentile %.4f)", adaptivePercentile),
                fmt(lambda), fmt(maxRatio), forgetImportanceNanos / 1e6, dampeningNanos / 1e6);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s dampening: alpha=%s%s, lambda=%s, max ratio Omega_f/Omega_D=%s%n",
                method, fmt(alpha), Double.isNaN(adaptivePercentile) ? ""
                        : String.format(Locale.ROOT, " (adaptive, percentile %.4f)", adaptivePercentile),
                fmt(lambda), fmt(maxRatio)));
        sb.append(String.format(Locale.ROOT, "selected %,d of %,d parameters (%.4f%%) in %d of %d tensors;"
                        + " importance pass %.1f ms, dampening %.1f ms%n",
                totalSelected(), totalElements(), 100.0 * totalSelected() / Math.max(1, totalElements()),
                tensorsTouched(), tensors.size(), forgetImportanceNanos / 1e6, dampeningNanos / 1e6));
        int width = tensors.stream().mapToInt(t -> t.name().length()).max().orElse(4);
        for (TensorDampening t : tensors) {
            if (t.selected() == 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s %,10d / %,10d  min beta %.4g  mean beta %.4g%n",
                    t.name(), t.selected(), t.elements(), t.minBeta(), t.meanBeta()));
        }
        if (nothingSelected()) {
            sb.append("  (no parameter selected: the model is unchanged)").append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
