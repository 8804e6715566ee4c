package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.optim.SGD;

/** A parameter registered under two names is listed once, under its first name, as in PyTorch. */
class TiedParametersTest {
    /** The same Linear registered as "0" and "2" (torch: {@code nn.Sequential(lin, nn.ReLU(), lin)}). */
    static Sequential tied() {
        SplittableRandom rng = new SplittableRandom(3);
        Linear shared = new Linear(4, 4, rng);
        return new Sequential(shared, new BatchNorm2dFree(), shared);
    }

    /** A parameterless middle layer, so the two registrations of the shared layer are not adjacent. */
    static final class BatchNorm2dFree extends Module {
        @Override
        public Var forward(Var x) {
            return org.lfssd.autograd.F.relu(x);
        }
    }

    /** Regression: namedParameters listed the shared weight twice. */
    @Test
    void namedParametersListsASharedParameterOnceUnderItsFirstName() {
        Sequential m = tied();
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(16 + 4, m.parameterCount());
    }

    @Test
    void theStateDictStillListsEveryNameAsPyTorchDoes() {
        Sequential m = tied();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(m.stateDict().keySet()));
        assertSame(m.stateDict().get("0.weight"), m.stateDict().get("2.weight"));
    }

    /** Regression: the optimiser refused the duplicate (or would have stepped the weight twice). */
    @Test
    void anOptimiserOverNamedParametersStepsTheSharedWeightOnce() {
        Sequential m = tied();
        SGD sgd = new SGD(m.namedParameters().values(), 0.1);
        assertEquals(2, sgd.params().size());
    }
}
