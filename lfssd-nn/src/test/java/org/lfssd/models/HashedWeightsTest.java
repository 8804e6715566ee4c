package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** The Java copy of the fixture script's hashed weights must produce the script's exact bits. */
class HashedWeightsTest {

    @Test
    void counterHashMatchesThePythonValues() {
        // hashed_uniform(0, 3), hashed_uniform(121, 2) and hashed_uniform(5, 2400000)[-1], printed by numpy.
        assertEquals(0.7666215896606445f, HashedWeights.uniform(0, 0));
        assertEquals(-0.13694405555725098f, HashedWeights.uniform(0, 1));
        assertEquals(-0.9471324682235718f, HashedWeights.uniform(0, 2));
        assertEquals(0.5971372127532959f, HashedWeights.uniform(121, 0));
        assertEquals(-0.4037613868713379f, HashedWeights.uniform(121, 1));
        assertEquals(0.9247508f, HashedWeights.uniform(5, 2_399_999));
    }

    @Test
    void perKeyRulesGivePlausibleTensors() {
        ResNet18 model = new ResNet18(10, 3, 16, new SplittableRandom(1));
        Map<String, Tensor> s = HashedWeights.state(model);
        assertEquals(0f, s.get("conv1.1.num_batches_tracked").item());
        for (float v : s.get("conv1.1.running_var").toArray()) {
            assertEquals(1.0, v, 0.5);
        }
        for (float v : s.get("conv1.1.weight").toArray()) {
            assertEquals(1.0, v, 0.1);
        }
        // conv1.0.weight is tensor 0: element 0 is u(0, 0)·√(6/27) in float32.
        assertEquals(0.7666215896606445f * (float) Math.sqrt(6.0 / 27), s.get("conv1.0.weight").get(0, 0, 0, 0));
    }
}
