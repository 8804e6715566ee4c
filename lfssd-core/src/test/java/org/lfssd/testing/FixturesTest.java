package org.lfssd.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.SafeTensors;
import org.lfssd.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/** The fixture loader, the tolerance comparison and the report, plus real fixtures checked with plain tensor math. */
class FixturesTest {
    @TempDir
    Path dir;

    private static Tensor t(float... v) {
        return Tensor.fromArray(v, v.length);
    }

    @Test
    void compareReportsMaxAbsMaxRelAndTheWorstElement() {
        ErrorStats s = Fixtures.compare(t(1f, -2f, 1e-7f, 100f), t(1f, -2.0001f, 3e-7f, 100.001f), 1e-5, 1e-4);
        assertTrue(s.passed(), s.toString());
        assertEquals(1e-3, s.maxAbs(), 1e-6);
        // |e| = 1e-7 <= atol is left out of maxRel: its ratio (2.0) would say nothing.
        assertEquals(5e-5, s.maxRel(), 1e-6);
        assertEquals(1, s.worstIndex(), "-2 vs -2.0001 uses 1e-4 / 2.1e-4 of its allowance, the most");
        assertEquals(1e-4 / (1e-5 + 2e-4), s.toleranceUsed(), 1e-3);

        ErrorStats bad = Fixtures.compare(t(1f, 2f, 3f), t(1f, 2.1f, 3f), 1e-5, 1e-4);
        assertFalse(bad.passed());
        assertEquals(1, bad.failures());
        assertEquals(1, bad.worstIndex());
        assertTrue(bad.toString().contains("expected 2.0, actual 2.1"), bad.toString());
    }

    @Test
    void nonFiniteValuesMustMatchExactly() {
        assertTrue(Fixtures.compare(t(Float.NaN, Float.POSITIVE_INFINITY), t(Float.NaN, Float.POSITIVE_INFINITY), 0, 0).passed());
        ErrorStats nan = Fixtures.compare(t(1f), t(Float.NaN), 1, 1);
        assertFalse(nan.passed());
        assertEquals(Double.POSITIVE_INFINITY, nan.maxAbs());
        assertFalse(Fixtures.compare(t(Float.POSITIVE_INFINITY), t(Float.NEGATIVE_INFINITY), 1, 1).passed());
    }

    @Test
    void assertCloseFailsWithTheStatisticsAndOnShapeMismatch() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Fixtures.assertClose("conv out", t(1f, 2f), t(1f, 3f), 1e-5, 1e-4));
        assertTrue(e.getMessage().startsWith("conv out outside atol 1.0E-5 + rtol 1.0E-4: maxAbs 1.000e+00"), e.getMessage());
        AssertionFailedError shape = assertThrows(AssertionFailedError.class,
                () -> Fixtures.assertClose("x", t(1f, 2f), Tensor.zeros(2, 1), 1, 1));
        assertTrue(shape.getMessage().contains("shape [2, 1], expected [2]"), shape.getMessage());
        assertEquals(0.0, Fixtures.assertClose("same", t(4f), t(4f), 0, 0).maxAbs());
    }

    @Test
    void reportHasOneLinePerRowWithTheWorstPerKind() {
        ParityReport r = new ParityReport("title");
        r.add("conv2d", "forward", Fixtures.compare(t(1f), t(1.000001f), 1e-5, 1e-4));
        r.add("conv2d", "backward", Fixtures.compare(t(1f, 2f), t(1f, 2.5f), 1e-4, 1e-3));
        r.add("conv2d", "backward", Fixtures.compare(t(1f), t(1f), 1e-4, 1e-3));
        r.error("gelu", "UnsupportedOperationException");
        String[] lines = r.format().split("\n");
        assertEquals(4, lines.length, r.format());
        assertEquals("title", lines[0]);
        assertTrue(lines[1].startsWith("case  ") && lines[1].contains("forward: maxAbs") && lines[1].contains("backward: maxAbs"));
        assertTrue(lines[2].startsWith("conv2d") && lines[2].contains("5.000e-01") && lines[2].endsWith("FAIL (1 elements)"),
                lines[2]);
        assertTrue(lines[3].startsWith("gelu") && lines[3].endsWith("ERROR UnsupportedOperationException"), lines[3]);
    }

    @Test
    void resourcesInsideAJarAreCopiedToAFileOnce() throws IOException {
        Path src = dir.resolve("one.safetensors");
        SafeTensors.write(src, Map.of("w", Tensor.full(7f, 2)), Map.of("op", "neg"));
        Path jar = dir.resolve("fixtures.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("deep/dir/one.safetensors"));
            j.write(Files.readAllBytes(src));
            j.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Path p = Fixtures.path(loader, "deep/dir/one.safetensors");
            assertTrue(p.getFileName().toString().endsWith("one.safetensors"));
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(p));
            assertEquals(p, Fixtures.path(loader, "deep/dir/one.safetensors"), "extracted once");
            assertThrows(IllegalArgumentException.class, () -> Fixtures.path(loader, "deep/dir/missing.safetensors"));
        }
    }

    @Test
    void fixtureAccessorsParseTheMetadataStrings() {
        Fixture fx = Fixtures.load("fixtures/ops/sum__dims02_keep.safetensors");
        assertEquals("sum__dims02_keep", fx.name());
        assertEquals("sum", fx.op());
        assertEquals(List.of("x"), fx.inputNames());
        assertArrayEquals(new int[] {0, 2}, fx.intsArg("dims"));
        assertTrue(fx.boolArg("keepDim"));
        assertArrayEquals(new int[] {1, 3, 1}, fx.output().shape());
        assertThrows(IllegalArgumentException.class, () -> fx.arg("missing"));
        assertThrows(IllegalArgumentException.class, () -> fx.tensor("input.y"));
        Fixture bn = Fixtures.load("fixtures/ops/batchNorm2d__train.safetensors");
        assertEquals(1e-5f, bn.floatArg("eps"));
        assertEquals(List.of("running_mean", "running_var"), bn.extraOutputNames());
        assertFalse(bn.hasGrad("running_mean"));
        int[] labels = Fixtures.load("fixtures/ops/crossEntropy.safetensors").labels();
        assertEquals(4, labels.length);
        for (int label : labels) {
            assertTrue(label >= 0 && label < 5, "label " + label + " of 5 classes");
        }
    }

    /**
     * Ops that plain {@link Tensor} methods can compute, checked against the torch fixtures: proves the
     * pipeline (script layout, byte order, shapes, metadata) end to end, independent of the autograd ops.
     */
    @Test
    void fixturesAgreeWithPlainTensorArithmetic() {
        Fixture neg = Fixtures.load("fixtures/ops/neg.safetensors");
        Fixtures.assertClose("neg", neg.output(), neg.input("a").mul(-1f), 0, 0);
        Fixtures.assertClose("neg grad", neg.grad("a"), neg.gradOutput().mul(-1f), 0, 0);

        Fixture add = Fixtures.load("fixtures/ops/add__same.safetensors");
        Fixtures.assertClose("add", add.output(), add.input("a").add(add.input("b")), 0, 0);
        Fixtures.assertClose("add grad a", add.grad("a"), add.gradOutput(), 0, 0);
        Fixtures.assertClose("add grad b", add.grad("b"), add.gradOutput(), 0, 0);

        Fixture scaled = Fixtures.load("fixtures/ops/mul_scalar.safetensors");
        float s = scaled.floatArg("scalar");
        Fixtures.assertClose("mul_scalar", scaled.output(), scaled.input("a").mul(s), 0, 0);
        Fixtures.assertClose("mul_scalar grad", scaled.grad("a"), scaled.gradOutput().mul(s), 0, 0);

        Fixture tr = Fixtures.load("fixtures/ops/transpose__0_2.safetensors");
        Fixtures.assertClose("transpose", tr.output(), tr.input("x").transpose(tr.intArg("d0"), tr.intArg("d1")), 0, 0);
        Fixtures.assertClose("transpose grad", tr.grad("x"), tr.gradOutput().transpose(0, 2), 0, 0);

        Fixture perm = Fixtures.load("fixtures/ops/permute__201.safetensors");
        Fixtures.assertClose("permute", perm.output(), perm.input("x").permute(perm.intsArg("dims")), 0, 0);
        Fixtures.assertClose("permute grad", perm.grad("x"), perm.gradOutput().permute(1, 2, 0), 0, 0);

        Fixture reshape = Fixtures.load("fixtures/ops/reshape__4x6.safetensors");
        Fixtures.assertClose("reshape", reshape.output(), reshape.input("x").reshape(reshape.intsArg("shape")), 0, 0);

        Fixture sum = Fixtures.load("fixtures/ops/sum__all.safetensors");
        assertEquals(0, sum.output().dim());
        assertEquals(sum.input("x").sum(), sum.output().item(), 1e-5);
        Fixtures.assertClose("sum grad", sum.grad("x"), Tensor.full(sum.gradOutput().item(), 2, 3, 4), 0, 0);

        Fixture dropout = Fixtures.load("fixtures/ops/dropout__eval.safetensors");
        Fixtures.assertClose("dropout eval", dropout.output(), dropout.input("x"), 0, 0);
    }
}
