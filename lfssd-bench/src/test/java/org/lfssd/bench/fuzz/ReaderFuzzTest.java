package org.lfssd.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded fuzz run of the test suite: a fixed seed and a fixed number of inputs per reader, so every
 * run tries the same inputs (well under a minute, about 15 s on a busy two-core machine; each accepted
 * safetensors input is saved back, and saves are forced to disk). {@link ReaderFuzz} runs longer, with
 * any seed.
 */
class ReaderFuzzTest {
    private static final Logger LOG = System.getLogger(ReaderFuzzTest.class.getName());
    private static final long SEED = 20261201L;
    static final int SAFETENSORS_INPUTS = 2_000;
    static final int IDX_INPUTS = 20_000;

    @TempDir
    Path scratch;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void safetensorsReaderSurvivesMutatedFiles() throws IOException {
        FuzzReport r = new SafeTensorsFuzzer(scratch).run(SEED, SAFETENSORS_INPUTS, Long.MAX_VALUE);
        LOG.log(Level.INFO, r.toString());
        assertEquals(SAFETENSORS_INPUTS, r.inputs());
        assertEquals(java.util.List.of(), r.failures(), r.toString());
        assertTrue(r.accepted() > 0 && r.rejected() > 0, "the mutations reach both outcomes: " + r);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idxReaderSurvivesMutatedFiles() throws IOException {
        FuzzReport r = new IdxFuzzer().run(SEED, IDX_INPUTS, Long.MAX_VALUE);
        LOG.log(Level.INFO, r.toString());
        assertEquals(IDX_INPUTS, r.inputs());
        assertEquals(java.util.List.of(), r.failures(), r.toString());
        assertTrue(r.accepted() > 0 && r.rejected() > 0, "the mutations reach both outcomes: " + r);
    }
}
