package org.lfssd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Conv2dOptionsTest {

    @Test
    @SuppressWarnings("deprecation")
    void optionsBuildTheSameLayerAsThePositionalConstructor() {
        Conv2d positional = new Conv2d(3, 8, 5, 2, 1, true, new SplittableRandom(7));
        Conv2d named = new Conv2d(3, 8, Conv2dOptions.kernel(5).stride(2).padding(1), new SplittableRandom(7));
        assertEquals(positional.kernelSize(), named.kernelSize());
        assertEquals(positional.stride(), named.stride());
        assertEquals(positional.padding(), named.padding());
        assertArrayEquals(positional.weight().value().toArray(), named.weight().value().toArray());
        assertArrayEquals(positional.bias().value().toArray(), named.bias().value().toArray());
    }

    @Test
    void defaultsArePyTorchs() {
        Conv2d c = new Conv2d(2, 4, Conv2dOptions.kernel(3), new SplittableRandom(1));
        assertEquals(1, c.stride());
        assertEquals(0, c.padding());
        assertEquals(4, c.bias().value().numel());
        assertNull(new Conv2d(2, 4, Conv2dOptions.kernel(3).bias(false), new SplittableRandom(1)).bias());
        assertEquals("kernel_size=3, stride=2, padding=1, bias=false",
                Conv2dOptions.kernel(3).stride(2).padding(1).bias(false).toString());
    }

    @Test
    void invalidSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(2, 4, Conv2dOptions.kernel(3).stride(0), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("stride=0"), e.getMessage());
    }
}
