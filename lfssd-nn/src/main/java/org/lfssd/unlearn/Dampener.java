package org.lfssd.unlearn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * Selection and dampening, the second half of the algorithm ({@code ssd.py::modify_weight}; ALGORITHM.md §3),
 * element-wise for every parameter θ with forget importance ω_f and full importance ω_D:
 *
 * <pre>
 *   selected  iff  ω_f &gt; ω_D · α                     {@link #selected}
 *   β         =    min(ω_D · λ / ω_f, 1)              {@link #beta}
 *   θ         ←    θ · β        (selected elements only)
 * </pre>
 *
 * <p>All in float, with the reference's operand order. Selection implies ω_f &gt; 0, so the division is safe;
 * where ω_D = 0 the weight is zeroed.
 *
 * <p>All or nothing: every input is validated ({@link DampeningPreconditions}) and every β computed into a
 * {@link Plan} before the first weight is written.
 */
final class Dampener {
    private Dampener() {}

    /** The factors to apply to one tensor, at the selected flat indices. */
    private record Plan(Tensor weight, int[] indices, float[] betas, TensorDampening summary) {}

    /** The outcome: per-tensor summaries and the largest ratio seen. */
    record Outcome(List<TensorDampening> tensors, double maxRatio) {}

    /**
     * The selection rule: {@code ω_f > ω_D · α}, strict, forget importance on the left, as the reference's
     * {@code fimp > oimp * alpha}.
     */
    static boolean selected(float omegaF, float omegaD, float alpha) {
        return omegaF > omegaD * alpha;
    }

    /**
     * The dampening factor of a selected element: {@code β = min(ω_D · λ / ω_f, 1)}. Selection implies
     * ω_f &gt; 0 and both are finite, so the quotient is in [0, +Inf]; the clamp maps +Inf (an overflowing
     * ω_D · λ) and, defensively, NaN to 1, so β ∈ [0, 1] and θ · β stays finite. For every ordinary quotient
     * this is exactly {@code min(q, 1)}, as in the reference.
     */
    static float beta(float omegaF, float omegaD, float lambda) {
        float q = (omegaD * lambda) / omegaF;
        return q < 1f ? q : 1f;
    }

    static Outcome apply(Map<String, Var> params, Importance forget, Importance full, double alpha, double lambda) {
        float l = DampeningPreconditions.lambdaAsFloat(lambda);
        float a = DampeningPreconditions.alphaAsFloat(alpha);
        DampeningPreconditions.requireSeparateStorage(params, forget.values().keySet());
        List<Plan> plans = new ArrayList<>();
        double maxRatio = Double.NaN;
        for (Map.Entry<String, Tensor> e : forget.values().entrySet()) {
            String name = e.getKey();
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("dampening interrupted before parameter '" + name + "'; no weight was changed");
            }
            Tensor omegaF = e.getValue();
            Tensor omegaD = full.get(name);
            Tensor weight = params.get(name).value();
            DampeningPreconditions.requireValidImportance(name, "Ω_f", omegaF);
            DampeningPreconditions.requireValidImportance(name, "Ω_D", omegaD);
            DampeningPreconditions.requireFiniteWeights(name, weight);
            maxRatio = larger(maxRatio, largestRatio(omegaF, omegaD));
            plans.add(plan(name, omegaF, omegaD, weight, a, l));
        }
        // Validation done: from here on nothing can fail, so the update is all or nothing.
        List<TensorDampening> summaries = new ArrayList<>(plans.size());
        for (Plan p : plans) {
            dampen(p);
            summaries.add(p.summary);
        }
        return new Outcome(summaries, maxRatio);
    }

    /** The selected indices of one tensor and their β, with the tensor's summary. */
    private static Plan plan(String name, Tensor omegaF, Tensor omegaD, Tensor weight, float alpha, float lambda) {
        float[] fd = omegaF.data();
        float[] dd = omegaD.data();
        int fo = omegaF.offset();
        int dOff = omegaD.offset();
        int n = omegaF.numel();
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (selected(fd[fo + i], dd[dOff + i], alpha)) {
                count++;
            }
        }
        int[] indices = new int[count];
        float[] betas = new float[count];
        double minBeta = Double.NaN;
        double sumBeta = 0;
        int k = 0;
        for (int i = 0; i < n && k < count; i++) {
            float fi = fd[fo + i];
            float di = dd[dOff + i];
            if (selected(fi, di, alpha)) {
                float beta = beta(fi, di, lambda);
                indices[k] = i;
                betas[k] = beta;
                k++;
                minBeta = Double.isNaN(minBeta) ? beta : Math.min(minBeta, beta);
                sumBeta += beta;
            }
        }
        TensorDampening summary = new TensorDampening(name, n, count, minBeta, count == 0 ? Double.NaN : sumBeta / count);
        return new Plan(weight, indices, betas, summary);
    }

    /** {@code θ ← θ · β} at the plan's indices. */
    private static void dampen(Plan p) {
        float[] wd = p.weight.data();
        int wo = p.weight.offset();
        for (int k = 0; k < p.indices.length; k++) {
            wd[wo + p.indices[k]] *= p.betas[k];
        }
    }

    /** The largest ratio ω_f / ω_D of one tensor, formed in float; NaN (0/0) ratios are skipped, NaN if all are. */
    private static double largestRatio(Tensor omegaF, Tensor omegaD) {
        float[] fd = omegaF.data();
        float[] dd = omegaD.data();
        int fo = omegaF.offset();
        int dOff = omegaD.offset();
        double max = Double.NaN;
        for (int i = 0; i < omegaF.numel(); i++) {
            max = larger(max, fd[fo + i] / dd[dOff + i]);
        }
        return max;
    }

    /** The larger of two ratios, where NaN means "none yet" and never wins. */
    private static double larger(double current, double candidate) {
        return !Double.isNaN(candidate) && (Double.isNaN(current) || candidate > current) ? candidate : current;
    }
}
