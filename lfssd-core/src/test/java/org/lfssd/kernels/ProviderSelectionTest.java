package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider matches how the JVM was started; the suite runs once with the Vector module and once without. */
class ProviderSelectionTest {

    private static boolean expectScalarFallback() {
        return Boolean.getBoolean("lfssd.test.expectScalarFallback");
    }

    @Test
    void providerFollowsTheVectorModule() {
        Kernels.Selection s = Kernels.selection();
        if (expectScalarFallback()) {
            assertEquals("scalar", s.provider().name());
            long warnings = s.warnings().stream().filter(w -> w.contains("--add-modules jdk.incubator.vector")).count();
            assertEquals(1, warnings, "exactly one warning naming --add-modules: " + s.warnings());
        } else {
            assertEquals("vector", s.provider().name(), "started with --add-modules jdk.incubator.vector");
            assertTrue(s.provider().vectorBitSize() >= 128);
            assertTrue(s.warnings().stream().noneMatch(w -> w.contains("--add-modules")), s.warnings().toString());
        }
    }
}
