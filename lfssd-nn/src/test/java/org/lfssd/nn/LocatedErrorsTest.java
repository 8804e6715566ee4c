package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.Var;
import org.lfssd.models.ResNet18;
import org.lfssd.models.TorchvisionResNet18;
import org.lfssd.tensor.Tensor;

/** Shape errors inside a model name the module path, and channels-last input is recognised. */
class LocatedErrorsTest {

    @Test
    void pathsFollowTheStateDictKeys() {
        ResNet18 m = new ResNet18(10, 3, 16, new SplittableRandom(0));
        assertEquals("", m.path());
        m.namedModules().forEach((path, module) -> assertEquals(path, module.path()));
        assertEquals("conv2_x.0.residual_function.0", m.namedModules().get("conv2_x.0.residual_function.0").path());
    }

    @Test
    void aWrongChannelCountNamesTheLayer() {
        ResNet18 m = new ResNet18(10, 3, 16, new SplittableRandom(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Var.constant(Tensor.zeros(2, 1, 32, 32))));
        assertEquals("module conv1.0 (Conv2d): conv2d: w [4, 3, 3, 3] expects 3 input channels but x [2, 1, 32, 32] has 1",
                e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void aLayerDeepInsideIsNamedToo() {
        ResNet18 m = new ResNet18(10, 3, 16, new SplittableRandom(0));
        Module block = m.namedModules().get("conv3_x.0.residual_function");
        // 8 channels reach conv3_x; feed the block 5 to fail its first convolution.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.forward(Var.constant(Tensor.zeros(1, 5, 8, 8))));
        assertTrue(e.getMessage().startsWith("module conv3_x.0.residual_function.0 (Conv2d): conv2d:"), e.getMessage());
    }

    @Test
    void channelsLastInputGetsAHint() {
        TorchvisionResNet18 m = new TorchvisionResNet18(TorchvisionResNet18.Stem.CIFAR, 10, 3, 16, new SplittableRandom(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Var.constant(Tensor.zeros(2, 32, 32, 3))));
        assertTrue(e.getMessage().startsWith("module conv1 (Conv2d): conv2d:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("The input looks channels-last (NHWC); modules take NCHW [batch, channels,"
                + " height, width]: permute it with F.permute(x, 0, 3, 1, 2)."), e.getMessage());
    }

    @Test
    void aStandaloneLayerNamesItsClass() {
        Linear fc = new Linear(4, 2, new SplittableRandom(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fc.forward(Var.constant(Tensor.zeros(3, 5))));
        assertTrue(e.getMessage().startsWith("Linear: "), e.getMessage());
    }
}
