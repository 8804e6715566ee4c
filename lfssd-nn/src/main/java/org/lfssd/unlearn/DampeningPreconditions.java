package org.lfssd.unlearn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * What {@link Dampener} checks before it writes anything, so that a refused dampening leaves every weight as
 * it was. Each failure names the parameter, the element and the value, and says that no weight was changed.
 */
final class DampeningPreconditions {
    private DampeningPreconditions() {}

    /**
     * λ as the float the arithmetic uses. Validated in float: 3.5e38 is a finite double but narrows to +Inf,
     * and λ = +Inf gives 0·Inf = NaN wherever Ω_D = 0.
     */
    static float lambdaAsFloat(double lambda) {
        float l = (float) lambda;
        if (!(l >= 0f) || Float.isInfinite(l)) {
            throw new IllegalArgumentException("lambda " + lambda + " is not a finite non-negative float (largest "
                    + Float.MAX_VALUE + "); no weight was changed");
        }
        return l;
    }

    /** α as the float the arithmetic uses; α = +Inf (select nothing) is allowed, a finite α that overflows is not. */
    static float alphaAsFloat(double alpha) {
        float a = (float) alpha;
        if (!(a >= 0f) || (Float.isInfinite(a) && !Double.isInfinite(alpha))) {
            throw new IllegalArgumentException("alpha " + alpha + " is not a non-negative float (largest finite "
                    + Float.MAX_VALUE + "; +Infinity selects nothing); no weight was changed");
        }
        return a;
    }

    /**
     * Two parameters over the same floats (one tensor registered under two names) would be scaled twice.
     * A module registered twice is already listed once by {@code namedParameters}; this catches the rest.
     */
    static void requireSeparateStorage(Map<String, Var> params, Iterable<String> names) {
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

    /** Importances must be finite and non-negative. */
    static void requireValidImportance(String name, String which, Tensor omega) {
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

    /** A non-finite weight would stay non-finite after scaling; refuse it rather than spread it. */
    static void requireFiniteWeights(String name, Tensor w) {
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
