package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

class StateDictsTest {

    /** conv → BN → (Linear) in a Sequential, like a slice of ResNet: keys interleave params and buffers per module. */
    private static Sequential small() {
        SplittableRandom rng = new SplittableRandom(3);
        return new Sequential(new Conv2d(2, 3, 3, 1, 1, false, rng), new BatchNorm2d(3), new ReLU(),
                new Sequential(), new Linear(3, 4, rng));
    }

    @Test
    void keysFollowPyTorchOrder() {
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "4.weight", "4.bias"), List.copyOf(small().stateDict().keySet()));
        assertEquals(List.of("1.num_batches_tracked"), List.copyOf(small().integerStateKeys()));
        assertEquals(List.of("", "0", "1", "2", "3", "4"), List.copyOf(small().namedModules().keySet()));
        assertArrayEquals(new int[0], small().stateDict().get("1.num_batches_tracked").shape());
    }

    @Test
    void stateDictHoldsTheLiveTensors() {
        Sequential m = small();
        Var w = m.namedParameters().get("4.weight");
        assertSame(w.value(), m.stateDict().get("4.weight"));
    }

    @Test
    void loadCopiesInPlaceAndKeepsParameterIdentity() {
        Sequential src = small();
        src.stateDict().forEach((k, t) -> t.fill(k.length()));
        Sequential dst = small();
        Var before = dst.namedParameters().get("0.weight");
        StateDicts.LoadResult r = dst.loadStateDict(StateDicts.copy(src.stateDict()), true);
        assertTrue(r.isExact());
        assertSame(before, dst.namedParameters().get("0.weight"));
        assertEquals(0f, StateDicts.maxAbsDifference(src.stateDict(), dst.stateDict()));
        assertEquals((float) "1.num_batches_tracked".length(), dst.stateDict().get("1.num_batches_tracked").item());
    }

    @Test
    void strictLoadNamesEveryProblemAtOnceAndChangesNothing() {
        Sequential m = small();
        Map<String, Tensor> state = StateDicts.copy(m.stateDict());
        state.values().forEach(t -> t.fill(9f));
        state.remove("1.running_var");
        state.remove("4.bias");
        state.put("4.extra", Tensor.zeros(1));
        state.put("5.weight", Tensor.zeros(1));
        state.put("0.weight", Tensor.zeros(3, 2, 1, 1));
        state.put("1.bias", Tensor.zeros(4));
        Map<String, Tensor> before = StateDicts.copy(m.stateDict());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, true));
        for (String key : new String[] {"1.running_var", "4.bias", "4.extra", "5.weight", "0.weight", "1.bias",
                "[3, 2, 3, 3]", "[3, 2, 1, 1]"}) {
            assertTrue(e.getMessage().contains(key), () -> "message should name " + key + ": " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("2 missing"), e.getMessage());
        assertTrue(e.getMessage().contains("2 unexpected"), e.getMessage());
        assertTrue(e.getMessage().contains("2 shape mismatch"), e.getMessage());
        assertEquals(0f, StateDicts.maxAbsDifference(before, m.stateDict()), "a rejected load must not write anything");
    }

    @Test
    void nonStrictLoadReportsKeysButStillRejectsShapeMismatches() {
        Sequential m = small();
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("4.bias", Tensor.full(2f, 4));
        state.put("head.weight", Tensor.zeros(2));
        StateDicts.LoadResult r = m.loadStateDict(state, false);
        assertEquals(List.of("head.weight"), r.unexpectedKeys());
        assertEquals(7, r.missingKeys().size());
        assertEquals("0.weight", r.missingKeys().get(0));
        assertArrayEquals(new float[] {2, 2, 2, 2}, m.stateDict().get("4.bias").toArray());

        state.put("4.weight", Tensor.zeros(4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("4.weight (model [4, 3], checkpoint [4, 4])"), e.getMessage());
    }

    @Test
    void trainAndEvalPropagate() {
        Sequential m = small();
        m.eval();
        m.namedModules().values().forEach(c -> assertEquals(false, c.isTraining()));
        m.train();
        m.namedModules().values().forEach(c -> assertEquals(true, c.isTraining()));
    }

    @Test
    void sequentialIndexingAndIdentity() {
        Sequential empty = new Sequential();
        Var x = Var.constant(Tensor.ones(2, 3));
        assertSame(x, empty.forward(x));
        Sequential m = small();
        assertEquals(5, m.size());
        assertTrue(m.get(1) instanceof BatchNorm2d);
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(5));
    }

    @Test
    void dropoutIsTheIdentityInEvalMode() {
        Dropout d = new Dropout(0.5f, new SplittableRandom(1));
        d.eval();
        Var x = Var.constant(Tensor.ones(4));
        assertSame(x, d.forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, new SplittableRandom(1)));
    }
}
