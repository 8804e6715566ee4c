package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/**
 * Forms derived from a held parameter are computed once per scope; outside a scope, or for a tensor the
 * scope does not hold, every time; a parameter changed inside the scope is reported when it closes.
 */
class FrozenParametersTest {
    private static float[] doubled(Tensor w, AtomicInteger calls) {
        calls.incrementAndGet();
        float[] out = new float[w.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = 2 * w.data()[w.offset() + i];
        }
        return out;
    }

    @Test
    void aHeldParameterHasEachFormComputedOncePerScope() {
        Tensor w = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        Tensor other = Tensor.fromArray(new float[] {4, 5}, 2);
        AtomicInteger calls = new AtomicInteger();
        float[] first;
        try (FrozenParameters ignored = FrozenParameters.of(List.of(w))) {
            first = FrozenParameters.derived(w, List.of("doubled"), () -> doubled(w, calls));
            assertSame(first, FrozenParameters.derived(w, List.of("doubled"), () -> doubled(w, calls)));
            assertEquals(1, calls.get());
            // Another key is another form; a tensor the scope does not hold is computed every time.
            FrozenParameters.derived(w, List.of("doubled", 1), () -> doubled(w, calls));
            assertEquals(2, calls.get());
            FrozenParameters.derived(other, List.of("doubled"), () -> doubled(other, calls));
            FrozenParameters.derived(other, List.of("doubled"), () -> doubled(other, calls));
            assertEquals(4, calls.get());
        }
        assertEquals(2f, first[0]);
        // Closed: computed again, and a new scope starts empty.
        float[] after = FrozenParameters.derived(w, List.of("doubled"), () -> doubled(w, calls));
        assertNotSame(first, after);
        assertEquals(5, calls.get());
    }

    @Test
    void aFormMayBeDerivedFromAnotherFormOfTheSameParameter() {
        Tensor w = Tensor.fromArray(new float[] {1, 2}, 2);
        AtomicInteger calls = new AtomicInteger();
        try (FrozenParameters ignored = FrozenParameters.of(List.of(w))) {
            float[] quadrupled = FrozenParameters.derived(w, "x4", () -> {
                float[] d = FrozenParameters.derived(w, "x2", () -> doubled(w, calls));
                return new float[] {2 * d[0], 2 * d[1]};
            });
            assertEquals(8f, quadrupled[1]);
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aParameterChangedInsideTheScopeIsReportedOnClose() {
        Tensor w = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        Tensor untouched = Tensor.fromArray(new float[] {1}, 1);
        FrozenParameters scope = FrozenParameters.of(List.of(untouched, w));
        FrozenParameters.derived(w, "doubled", () -> doubled(w, new AtomicInteger()));
        w.data()[1] = 7;
        IllegalStateException e = assertThrows(IllegalStateException.class, scope::close);
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("changed"), e.getMessage());
        // The scope is closed even so: nothing is held any more.
        AtomicInteger calls = new AtomicInteger();
        FrozenParameters.derived(w, "doubled", () -> doubled(w, calls));
        FrozenParameters.derived(w, "doubled", () -> doubled(w, calls));
        assertEquals(2, calls.get());
    }

    @Test
    void aParameterWithoutDerivedFormsMayChange() {
        Tensor w = Tensor.fromArray(new float[] {1}, 1);
        FrozenParameters scope = FrozenParameters.of(List.of(w));
        w.data()[0] = 2;
        scope.close();
    }
}
