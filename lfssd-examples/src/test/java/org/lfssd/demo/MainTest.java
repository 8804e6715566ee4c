package org.lfssd.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;

class MainTest {

    @Test
    void parsesOptions() {
        DemoOptions o = DemoOptions.parse(new String[] {"--method", "ssd", "--reduction", "per-sample", "--alpha", "2.5",
                "--lambda", "0.5", "--forget-class", "7", "--epochs", "1", "--train-limit", "100"});
        assertEquals(Method.SSD, o.method());
        assertEquals(Reduction.PER_SAMPLE, o.reduction());
        assertEquals(2.5, o.alpha());
        assertEquals(0.5, o.lambda());
        assertEquals(7, o.forgetClass());
        assertEquals(100, o.trainLimit());
        assertTrue(DemoOptions.parse(new String[] {"--adaptive-alpha"}).adaptiveAlpha());
        assertNull(DemoOptions.parse(new String[] {"--help"}));
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(new String[] {"--forget-class", "10"}));
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(new String[] {"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(new String[] {"--alpha"}));
    }

    /** A tiny end-to-end run: a few hundred images, one epoch, a narrow network. */
    @Test
    void runsEndToEndAndReports() throws IOException {
        DemoOptions o = DemoOptions.parse(new String[] {"--train-limit", "200", "--epochs", "1", "--width-divisor", "16",
                "--batch", "50", "--alpha", "2"});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DampeningReport r = Main.run(o, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("before: test accuracy") && text.contains("after: test accuracy"), text);
        assertTrue(text.contains("LFSSD dampening: alpha=2"), text);
        assertTrue(text.contains("(forgotten)"), text);
        assertEquals(2.0, r.alpha());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("forget-set importance"));
    }
}
