package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** λ and α are validated in float, the precision the dampening uses, and weights stay finite. */
class DampeningPrecisionTest {
    private static Importance omega(TinyMlp m, float value) {
        Map<String, Tensor> v = new LinkedHashMap<>();
        m.namedParameters().forEach((n, p) -> v.put(n, Tensor.full(value, p.value().shape())));
        return new Importance(v, Method.LFSSD, Reduction.REFERENCE, 1, 1, 1, WeightFingerprint.of(m));
    }

    /** Regression: λ = 3.5e38 passed the finite-double check, became +Inf in float, and 0·Inf put NaN in weights. */
    @Test
    void aLambdaBeyondFloatRangeIsRefusedAndNoWeightChanges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Unlearner.lfssd().lambda(3.5e38));
        assertTrue(e.getMessage().contains("3.5E38"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Unlearner.lfssd().alpha(1e39));

        TinyMlp m = UnlearnerPropertiesTest.model();
        Map<String, float[]> before = UnlearnerPropertiesTest.weights(m);
        Importance zeroD = omega(m, 0f); // Ω_D = 0 where 0·λ was NaN
        e = assertThrows(IllegalArgumentException.class,
                () -> Dampener.apply(m.namedParameters(), omega(m, 1f), zeroD, 1, 3.5e38));
        assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("no weight was changed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dampener.apply(m.namedParameters(), omega(m, 1f), zeroD, 1e39, 1));
        UnlearnerPropertiesTest.assertWeightsEqual(before, m);
    }

    /** At the edge of the float range, Ω_D·λ overflows to +Inf: β clamps to 1 and the weights stay finite. */
    @Test
    void theLargestLambdaKeepsEveryWeightFinite() {
        TinyMlp m = UnlearnerPropertiesTest.model();
        Map<String, float[]> before = UnlearnerPropertiesTest.weights(m);
        Dampener.Outcome o = Dampener.apply(m.namedParameters(), omega(m, 1e30f), omega(m, 1e20f), 1e-12, Float.MAX_VALUE);
        assertTrue(o.tensors().stream().allMatch(t -> t.selected() == t.elements()));
        UnlearnerPropertiesTest.assertWeightsEqual(before, m); // β = min(+Inf, 1) = 1
        Dampener.apply(m.namedParameters(), omega(m, 1f), omega(m, 0f), 0, Float.MAX_VALUE);
        m.namedParameters().values().forEach(p -> {
            for (float w : p.value().toArray()) {
                assertEquals(0f, Math.abs(w)); // Ω_D = 0: β = 0·λ / Ω_f = 0, not NaN
            }
        });
    }
}
