package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/** The renamed {@link TransformerBlock} and its deprecated former name {@link Block} are the same layer. */
class TransformerBlockTest {

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedBlockIsTheSameLayer() {
        TransformerBlock renamed = new TransformerBlock(8, 2, 16, 1e-6f, new SplittableRandom(3));
        TransformerBlock old = new Block(8, 2, 16, 1e-6f, new SplittableRandom(3));
        assertEquals(List.of("norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight",
                "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight",
                "mlp.fc2.bias"), List.copyOf(renamed.stateDict().keySet()));
        assertEquals(renamed.stateDict().keySet(), old.stateDict().keySet());
        Tensor x = Tensor.randn(new SplittableRandom(4), 0f, 1f, 2, 5, 8);
        assertArrayEquals(renamed.forward(Var.constant(x)).value().toArray(), old.forward(Var.constant(x)).value().toArray());
    }
}
