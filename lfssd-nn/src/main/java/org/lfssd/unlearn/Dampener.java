package org.lfssd.unlearn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * Selection and dampening, all or nothing: every factor β is computed and every input validated before
 * the first weight is written.
 *
 * <p>Per element, in float arithmetic exactly as the reference ({@code ssd.py::modify_weight}):
 * selected iff {@code Ω_f > Ω_D·α} (strict); {@code β = min(Ω_D·λ / Ω_f, 1)}; {@code θ ← θ·β}. Selection
 * implies Ω_f &gt; 0, so the division is safe; where Ω_D = 0 the weight is zeroed.
 */
final class Dampener {
    private Dampener() {}

    /** The factors to apply to one tensor, at the selected flat indices. */
    private record Plan(Tensor weight, int[] indices, float[] betas, TensorDampening summary) {}

    /** The outcome: per-tensor summaries and the largest ratio seen. */
    record Outcome(List<TensorDampening> tensors, double maxRatio) {}

    static Outcome apply(Map<String, Var> params, Importance forget, Importance full, double alpha, double lambda) {
        float a = (float) alpha;
        float l = (float) lambda;
        // The arithmetic is in float, so validate there: 3.5e38 is a finite double but narrows to +Inf, and
        // λ = +Inf gives 0·Inf = NaN wherever Ω_D = 0. α = +Inf (select nothing) is allowed.
        if (!(l >= 0f) || Float.isInfinite(l)) {
            throw new IllegalArgumentException("lambda " + lambda + " is not a finite non-negative float (largest "
                    + Float.MAX_VALUE + "); no weight was changed");
        }
        if (!(a >= 0f) || (Float.isInfinite(a) && !Double.isInfinite(alpha))) {
            throw new IllegalArgumentException("alpha " + alpha + " is not a non-negative float (largest finite "
                    + Float.MAX_VALUE + "; +Infinity selects nothing); no weight was changed");
        }
        requireSeparateStorage(params, forget.values().keySet());
        List<Plan> plans = new ArrayList<>();
        double maxRatio = Double.NaN;
        for (Map.Entry<String, Tensor> e : forget.values().entrySet()) {
            String name = e.getKey();
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("dampening interrupted before parameter '" + name + "'; no weight was changed");
            }
            Tensor f = e.getValue();
            Tensor d = full.get(name);
            Tensor w = params.get(name).value();
            requireValid(name, "Ω_f", f);
            requireValid(name, "Ω_D", d);
            requireFinite(name, w);
            float[] fd = f.data();
            float[] dd = d.data();
            int fo = f.offset();
            int dOff = d.offset();
            int n = f.numel();
            int selected = 0;
            for (int i = 0; i < n; i++) {
                float fi = fd[fo + i];
                float di = dd[dOff + i];
                float ratio = fi / di;
                if (!Float.isNaN(ratio) && (Double.isNaN(maxRatio) || ratio > maxRatio)) {
                    maxRatio = ratio;
                }
                if (fi > di * a) {
                    selected++;
                }
            }
            int[] indices = new int[selected];
            float[] betas = new float[selected];
            double minBeta = Double.NaN;
            double sumBeta = 0;
            int k = 0;
            for (int i = 0; i < n && k < selected; i++) {
                float fi = fd[fo + i];
                float di = dd[dOff + i];
                if (fi > di * a) {
                    // Selection implies fi > 0 and both are finite, so the quotient is in [0, +Inf]; the clamp
                    // maps +Inf (an overflowing Ω_D·λ) and, defensively, NaN to 1, so β ∈ [0, 1] and θ·β stays
                    // finite. For every ordinary quotient this is exactly min(q, 1), as in the reference.
                    float q = (di * l) / fi;
                    float beta = q < 1f ? q : 1f;
                    indices[k] = i;
                    betas[k] = beta;
                    k++;
                    minBeta = Double.isNaN(minBeta) ? beta : Math.min(minBeta, beta);
                    sumBeta += beta;
                }
            }
            TensorDampening summary = new TensorDampening(name, n, selected, minBeta,
                    selected == 0 ? Double.NaN : sumBeta / selected);
            plans.add(new Plan(w, indices, betas, summary));
        }
        // Validation done: from here on nothing can fail, so the update is all or nothing.
        List<TensorDampening> summaries = new ArrayList<>(plans.size());
        for (Plan p : plans) {
            float[] wd = p.weight.data();
            int wo = p.weight.offset();
            for (int k = 0; k < p.indices.length; k++) {
                wd[wo + p.indices[k]] *= p.betas[k];
            }
            summaries.add(p.summary);
        }
        return new Outcome(summaries, maxRatio);
    }

    /**
     * Two parameters over the same floats (one tensor registered under two names) would be scaled twice.
     * A module registered twice is already listed once by {@code namedParameters}; this catches the rest.
     */
    private static void requireSeparateStorage(Map<String, Var> params, Iterable<String> names) {
        Map<float[], List<String>> byArray = new IdentityHashMap<>();
        for (String name : names) {
            Var p = params.get(name);
            if (p == null) {
                throw new IllegalArgumentException("the model has no parameter '" + name + "'; no weight was changed");
            }
            Tensor w = p.value();
            List<String> sharing = byArray.computeIfAbsent(w.data(), k -> new ArrayList<>());
            for (String other : sharing) {
                Tensor o = params.get(other).value();
                boolean overlap = w.offset() < o.offset() + o.numel() && o.offset() < w.offset() + w.numel();
                if (overlap) {
                    throw new IllegalArgumentException("parameters '" + other + "' and '" + name + "' share storage,"
                            + " so dampening would scale the shared weights twice; no weight was changed");
                }
            }
            sharing.add(name);
        }
    }

    private static void requireValid(String name, String which, Tensor omega) {
        float[] d = omega.data();
        int off = omega.offset();
        for (int i = 0; i < omega.numel(); i++) {
            float v = d[off + i];
            if (!(v >= 0f) || v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(which + " of parameter '" + name + "' holds " + v + " at element " + i
                        + " (importances must be finite and non-negative); no weight was changed");
            }
        }
    }

    private static void requireFinite(String name, Tensor w) {
        float[] d = w.data();
        int off = w.offset();
        for (int i = 0; i < w.numel(); i++) {
            if (!Float.isFinite(d[off + i])) {
                throw new IllegalArgumentException("parameter '" + name + "' holds " + d[off + i] + " at element " + i
                        + "; no weight was changed");
            }
        }
    }
}
