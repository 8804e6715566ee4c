package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/** Tied parameters get one importance and are dampened once (β, not β²). */
class TiedParametersDampeningTest {
    /** {@code dense(relu(dense(x)))} with one 3x3 Dense registered as "enc" and "dec". */
    static final class Tied extends Module {
        final TinyMlp.Dense shared;

        Tied() {
            shared = new TinyMlp.Dense(new float[] {1, -2, 3, -4, 5, -6, 7, -8, 9}, new float[] {0.5f, -0.5f, 1});
            registerModule("enc", shared);
            registerModule("dec", shared);
        }

        @Override
        public Var forward(Var x) {
            return shared.forward(F.relu(shared.forward(x)));
        }
    }

    private static Importance uniform(Module m, float value) {
        Map<String, Tensor> v = new LinkedHashMap<>();
        m.namedParameters().forEach((n, p) -> v.put(n, Tensor.full(value, p.value().shape())));
        return new Importance(v, Method.LFSSD, Reduction.REFERENCE, 1, 1, 1, WeightFingerprint.of(m));
    }

    /** Regression: the shared weight was listed twice and multiplied by β², and had two importances. */
    @Test
    void aSharedWeightIsDampenedOnce() {
        Tied m = new Tied();
        Unlearner u = Unlearner.lfssd().alpha(1).lambda(1).build();
        Importance omegaF = uniform(m, 1f);
        Importance omegaD = uniform(m, 0.25f);
        assertEquals(List.of("enc.weight", "enc.bias"), List.copyOf(omegaF.parameterNames()));
        DampeningReport r = u.dampen(m, omegaF, omegaD);
        assertEquals(9 + 3, r.totalSelected());
        assertEquals(0.25f, m.shared.weight.value().get(0, 0)); // 1 · β with β = 0.25·1/1, applied once
        assertEquals(-2 * 0.25f, m.shared.weight.value().get(0, 1));
    }

    @Test
    void importanceListsASharedParameterOnce() {
        Tied m = new Tied();
        Importance omega = Unlearner.lfssd().build().importance(m,
                List.of(new org.lfssd.data.Batch(Tensor.ones(2, 3), null)));
        assertEquals(List.of("enc.weight", "enc.bias"), List.copyOf(omega.parameterNames()));
    }

    /** Two parameters over the same floats would still be scaled twice, so dampening refuses them. */
    @Test
    void parametersSharingStorageAreRefused() {
        Module m = new Module() {
            final Tensor storage = Tensor.ones(4);
            final Var a = registerParameter("a", storage);
            final Var b = registerParameter("b", storage);

            @Override
            public Var forward(Var x) {
                return F.add(F.mul(x, a), b);
            }
        };
        Unlearner u = Unlearner.lfssd().alpha(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> u.dampen(m, uniform(m, 1f), uniform(m, 0.25f)));
        assertTrue(e.getMessage().contains("'a' and 'b' share storage"), e.getMessage());
        assertEquals(1f, m.namedParameters().get("a").value().get(0));
    }
}
