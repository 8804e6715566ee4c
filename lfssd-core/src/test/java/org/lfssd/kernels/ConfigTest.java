package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The knob readers: defaults, accepted values, and errors that name the knob and the value. */
class ConfigTest {
    private static final String KEY = "lfssd.configtest.knob";

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    @Test
    void nonNegativeIntAcceptsZeroAndRejectsTheRestByName() {
        assertEquals(7, Config.nonNegativeInt(KEY, 7));
        System.setProperty(KEY, " 0 ");
        assertEquals(0, Config.nonNegativeInt(KEY, 7));
        System.setProperty(KEY, "250");
        assertEquals(250, Config.nonNegativeInt(KEY, 7));
        for (String bad : new String[] {"-1", "5ms", "1e3"}) {
            System.setProperty(KEY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.nonNegativeInt(KEY, 7));
            assertTrue(e.getMessage().contains(KEY + "=" + bad), e.getMessage());
        }
    }

    @Test
    void positiveIntRejectsZero() {
        System.setProperty(KEY, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.positiveInt(KEY, 1));
        assertEquals(KEY + "=0 is not a positive integer", e.getMessage());
    }
}
