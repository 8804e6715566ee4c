package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;
import org.lfssd.testing.ErrorStats;
import org.lfssd.testing.Fixture;
import org.lfssd.testing.Fixtures;
import org.lfssd.testing.ParityReport;

/**
 * Every op in {@link F} against PyTorch: each fixture under {@code fixtures/ops} (written by
 * {@code src/test/python/make_op_fixtures.py}) holds an op's inputs and arguments, its output, an
 * upstream gradient, and the gradient of every differentiable input. The op is rebuilt here with
 * {@link F}, run forward, back-propagated with the stored upstream gradient, and compared.
 *
 * <p>Tolerances. The references are computed by torch in float64 from the exact float32 inputs, so a
 * difference is this library's float32 error alone. Fixture values are O(1) and every reduction has
 * at most ~100 terms, so a correct float32 implementation is off by a few ulps, about 1e-6 relative;
 * forward allows {@code 1e-5 + 1e-4·|ref|}, at least ten times that. Gradients pass through more
 * operations, some with cancellation (BatchNorm's and softmax's backward subtract means of products),
 * so they get ten times more: {@code 1e-4 + 1e-3·|ref|}. Anything a wrong formula or a wrong index
 * produces is orders of magnitude larger.
 *
 * <p>The per-fixture maximum absolute and relative errors are printed as a table after the run.
 */
class TorchOpParityTest {
    private static final String DIR = "fixtures/ops";
    static final double FORWARD_ATOL = 1e-5;
    static final double FORWARD_RTOL = 1e-4;
    static final double GRAD_ATOL = 1e-4;
    static final double GRAD_RTOL = 1e-3;

    private static final ParityReport REPORT = new ParityReport(
            "PyTorch parity (reference: torch float64 from float32 inputs; ours: float32, provider "
                    + Kernels.provider().name() + ", " + Parallel.threads() + " threads, JDK " + Runtime.version().feature() + ")");

    /** Builds the op's output from the fixture's inputs (as Vars) and arguments; may add extra results. */
    @FunctionalInterface
    private interface OpBuilder {
        Var build(Fixture fx, Map<String, Var> in, Map<String, Tensor> extraOutputs);
    }

    private static final Map<String, OpBuilder> BUILDERS = builders();

    static Stream<String> fixtures() {
        return Fixtures.list(DIR).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesTorch(String file) {
        Fixture fx = Fixtures.load(DIR + "/" + file);
        OpBuilder builder = BUILDERS.get(fx.op());
        assertNotNull(builder, fx.name() + ": no builder for op '" + fx.op() + "'");

        Map<String, Var> in = new LinkedHashMap<>();
        for (String name : fx.inputNames()) {
            Tensor value = fx.input(name).copy();
            in.put(name, fx.hasGrad(name) ? Var.param(value) : Var.constant(value));
        }
        Map<String, Tensor> extras = new LinkedHashMap<>();
        Var out;
        try {
            out = builder.build(fx, in, extras);
            out.backward(fx.gradOutput());
        } catch (RuntimeException e) {
            REPORT.error(fx.name(), e.getClass().getSimpleName());
            throw e;
        }

        List<Executable> checks = new ArrayList<>();
        checks.add(compare(fx, "forward", "output", fx.output(), out.value(), FORWARD_ATOL, FORWARD_RTOL));
        for (String extra : fx.extraOutputNames()) {
            Tensor actual = extras.get(extra);
            if (actual == null) {
                checks.add(() -> fail(fx.name() + ": the builder produced no '" + extra + "'"));
            } else {
                checks.add(compare(fx, "forward", "output." + extra, fx.tensor("output." + extra), actual,
                        FORWARD_ATOL, FORWARD_RTOL));
            }
        }
        for (Map.Entry<String, Var> e : in.entrySet()) {
            if (!fx.hasGrad(e.getKey())) {
                continue;
            }
            Tensor grad = e.getValue().grad();
            if (grad == null) {
                checks.add(() -> fail(fx.name() + ": no gradient reached input '" + e.getKey() + "'"));
            } else {
                checks.add(compare(fx, "backward", "grad." + e.getKey(), fx.grad(e.getKey()), grad, GRAD_ATOL, GRAD_RTOL));
            }
        }
        assertAll(fx.name(), checks);
    }

    private static Executable compare(Fixture fx, String kind, String what, Tensor expected, Tensor actual,
                                      double atol, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            REPORT.error(fx.name(), what + " shape " + Shapes.str(actual.shape()));
            return () -> fail(fx.name() + " " + what + ": shape " + Shapes.str(actual.shape()) + ", torch "
                    + Shapes.str(expected.shape()));
        }
        ErrorStats stats = Fixtures.compare(expected, actual, atol, rtol);
        REPORT.add(fx.name(), kind, stats);
        return () -> assertTrue(stats.passed(), fx.name() + " " + what + " outside atol " + atol + " + rtol " + rtol
                + ": " + stats);
    }

    @AfterAll
    static void printReport() {
        if (!REPORT.isEmpty()) {
            REPORT.print();
        }
    }

    // ------------------------------------------------------------------ fixture consistency (independent of the ops)

    /** The index lists exactly the fixture files on disk, and every op in it has a builder here. */
    @Test
    void indexCoversEveryFixtureAndEveryOpHasABuilder() throws Exception {
        List<String> listed = Fixtures.list(DIR);
        assertEquals(new TreeSet<>(listed).size(), listed.size(), "index.txt lists a file twice");
        Path dir = Fixtures.path(DIR + "/index.txt").getParent();
        if (dir != null && Files.isDirectory(dir)) {
            TreeSet<String> onDisk = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).forEach(onDisk::add);
            }
            assertEquals(onDisk, new TreeSet<>(listed), "index.txt is out of date; rerun make_op_fixtures.py");
        }
        TreeSet<String> ops = new TreeSet<>();
        for (String file : listed) {
            ops.add(Fixtures.load(DIR + "/" + file).op());
        }
        for (String op : ops) {
            assertTrue(BUILDERS.containsKey(op), "fixtures exercise op '" + op + "' but this test has no builder for it");
        }
        for (String op : BUILDERS.keySet()) {
            assertTrue(ops.contains(op), "builder for '" + op + "' has no fixture");
        }
    }

    /** Each fixture loads and is self-consistent: naming scheme, shapes, finiteness, labels. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureIsConsistent(String file) {
        Fixture fx = Fixtures.load(DIR + "/" + file);
        assertEquals(file, fx.name() + ".safetensors");
        List<String> inputs = fx.inputNames();
        assertFalse(inputs.isEmpty(), fx + " lists no inputs");
        for (String t : fx.tensorNames()) {
            boolean known = t.equals("output") || t.equals("grad_output") || t.equals("labels")
                    || t.startsWith("output.")
                    || (t.startsWith("input.") && inputs.contains(t.substring(6)))
                    || (t.startsWith("grad.") && inputs.contains(t.substring(5)));
            assertTrue(known, fx.name() + ": tensor '" + t + "' is outside the naming scheme");
            for (float v : fx.tensor(t).toArray()) {
                assertTrue(Float.isFinite(v), fx.name() + ": tensor '" + t + "' holds " + v);
            }
        }
        for (String name : inputs) {
            assertTrue(fx.hasInput(name), fx.name() + ": input '" + name + "' is listed but absent");
            if (fx.hasGrad(name)) {
                assertArrayEquals(fx.input(name).shape(), fx.grad(name).shape(), fx.name() + ": grad." + name + " shape");
            }
        }
        assertTrue(inputs.stream().anyMatch(fx::hasGrad), fx.name() + ": no differentiable input");
        assertArrayEquals(fx.output().shape(), fx.gradOutput().shape(), fx.name() + ": grad_output shape");
        if (fx.has("labels")) {
            Tensor logitsLike = fx.hasInput("logits") ? fx.input("logits") : null;
            int[] labels = fx.labels();
            for (int i = 0; i < labels.length; i++) {
                assertEquals(labels[i], fx.tensor("labels").toArray()[i], fx.name() + ": labels must be integers");
                assertTrue(labels[i] >= 0, fx.name() + ": negative label");
                if (logitsLike != null) {
                    assertTrue(labels[i] < logitsLike.size(-1), fx.name() + ": label beyond the class count");
                }
            }
        }
        String op = fx.op();
        if (List.of("add", "sub", "mul", "div").contains(op)) {
            assertArrayEquals(Shapes.broadcast(op, fx.input("a").shape(), fx.input("b").shape()), fx.output().shape(),
                    fx.name() + ": output is the broadcast shape");
        }
        if (List.of("add_scalar", "mul_scalar", "neg", "exp", "log", "sqrt", "abs", "pow", "relu", "gelu", "softmax",
                "logSoftmax", "layerNorm", "batchNorm2d", "dropout").contains(op)) {
            String first = inputs.get(0);
            assertArrayEquals(fx.input(first).shape(), fx.output().shape(), fx.name() + ": output keeps the input shape");
        }
        if (op.equals("reshape") || op.equals("transpose") || op.equals("permute") || op.equals("flatten")) {
            assertEquals(fx.input("x").numel(), fx.output().numel(), fx.name() + ": a layout op keeps the element count");
        }
    }

    // ------------------------------------------------------------------ builders: the ops, spelt with F

    /** One builder per fixture "op"; an optional input (a bias, LayerNorm's affine) is simply absent, i.e. null. */
    private static Map<String, OpBuilder> builders() {
        Map<String, OpBuilder> b = new LinkedHashMap<>();
        b.put("add", (fx, in, x) -> F.add(in.get("a"), in.get("b")));
        b.put("sub", (fx, in, x) -> F.sub(in.get("a"), in.get("b")));
        b.put("mul", (fx, in, x) -> F.mul(in.get("a"), in.get("b")));
        b.put("div", (fx, in, x) -> F.div(in.get("a"), in.get("b")));
        b.put("add_scalar", (fx, in, x) -> F.add(in.get("a"), fx.floatArg("scalar")));
        b.put("mul_scalar", (fx, in, x) -> F.mul(in.get("a"), fx.floatArg("scalar")));
        b.put("neg", (fx, in, x) -> F.neg(in.get("a")));
        b.put("exp", (fx, in, x) -> F.exp(in.get("a")));
        b.put("log", (fx, in, x) -> F.log(in.get("a")));
        b.put("sqrt", (fx, in, x) -> F.sqrt(in.get("a")));
        b.put("abs", (fx, in, x) -> F.abs(in.get("a")));
        b.put("pow", (fx, in, x) -> F.pow(in.get("a"), fx.floatArg("exponent")));
        b.put("relu", (fx, in, x) -> F.relu(in.get("x")));
        b.put("gelu", (fx, in, x) -> F.gelu(in.get("x")));
        b.put("matmul", (fx, in, x) -> F.matmul(in.get("a"), in.get("b")));
        b.put("linear", (fx, in, x) -> F.linear(in.get("x"), in.get("w"), in.get("b")));
        b.put("linearGelu", (fx, in, x) -> F.linearGelu(in.get("x"), in.get("w"), in.get("b")));
        b.put("mlp", (fx, in, x) -> F.mlp(in.get("x"), in.get("w1"), in.get("b1"), in.get("w2"), in.get("b2")));
        b.put("conv2d", (fx, in, x) -> F.conv2d(in.get("x"), in.get("w"), in.get("b"), fx.intArg("stride"),
                fx.intArg("padding")));
        b.put("globalAvgPool", (fx, in, x) -> F.globalAvgPool(in.get("x")));
        b.put("flatten", (fx, in, x) -> F.flatten(in.get("x"), fx.intArg("startDim")));
        b.put("batchNorm2d", (fx, in, extras) -> {
            // The running statistics are plain tensors updated in place (train mode); report them as results.
            Tensor runningMean = in.get("running_mean").value();
            Tensor runningVar = in.get("running_var").value();
            extras.put("running_mean", runningMean);
            extras.put("running_var", runningVar);
            return F.batchNorm2d(in.get("x"), in.get("gamma"), in.get("beta"), runningMean, runningVar,
                    fx.boolArg("training"), fx.floatArg("momentum"), fx.floatArg("eps"));
        });
        b.put("layerNorm", (fx, in, x) -> F.layerNorm(in.get("x"), in.get("gamma"), in.get("beta"), fx.floatArg("eps")));
        b.put("softmax", (fx, in, x) -> F.softmax(in.get("x"), fx.intArg("dim")));
        b.put("logSoftmax", (fx, in, x) -> F.logSoftmax(in.get("x"), fx.intArg("dim")));
        b.put("crossEntropy", (fx, in, x) -> F.crossEntropy(in.get("logits"), fx.labels()));
        b.put("squaredNorm", (fx, in, x) -> F.squaredNorm(in.get("x")));
        b.put("meanSquaredNorm", (fx, in, x) -> F.meanSquaredNorm(in.get("x")));
        b.put("sum", (fx, in, x) -> fx.hasArg("dims")
                ? F.sum(in.get("x"), fx.intsArg("dims"), fx.boolArg("keepDim")) : F.sum(in.get("x")));
        b.put("mean", (fx, in, x) -> fx.hasArg("dims")
                ? F.mean(in.get("x"), fx.intsArg("dims"), fx.boolArg("keepDim")) : F.mean(in.get("x")));
        b.put("reshape", (fx, in, x) -> F.reshape(in.get("x"), fx.intsArg("shape")));
        b.put("transpose", (fx, in, x) -> F.transpose(in.get("x"), fx.intArg("d0"), fx.intArg("d1")));
        b.put("permute", (fx, in, x) -> F.permute(in.get("x"), fx.intsArg("dims")));
        b.put("concat", (fx, in, x) -> F.concat(fx.intArg("dim"), in.values().toArray(new Var[0])));
        b.put("slice", (fx, in, x) -> F.slice(in.get("x"), fx.intArg("dim"), fx.intArg("start"), fx.intArg("end")));
        b.put("select", (fx, in, x) -> F.select(in.get("x"), fx.intArg("dim"), fx.intArg("index")));
        b.put("expand", (fx, in, x) -> F.expand(in.get("x"), fx.intsArg("shape")));
        b.put("scaledDotProductAttention", (fx, in, x) -> F.scaledDotProductAttention(in.get("q"), in.get("k"), in.get("v")));
        b.put("multiHeadSelfAttention", (fx, in, x) -> F.multiHeadSelfAttention(in.get("qkv"), fx.intArg("heads")));
        // The generator must not matter when not training; a fixed one keeps the call well-defined.
        b.put("dropout", (fx, in, x) -> F.dropout(in.get("x"), fx.floatArg("p"), fx.boolArg("training"),
                new SplittableRandom(0)));
        b.put("composite_cnn", TorchOpParityTest::cnnComposite);
        b.put("composite_vit_block", TorchOpParityTest::vitBlockComposite);
        return b;
    }

    /** conv(3x3, s1, p1, no bias) -> BatchNorm (eval) -> ReLU -> global average pool -> flatten -> linear -> loss. */
    private static Var cnnComposite(Fixture fx, Map<String, Var> in, Map<String, Tensor> extras) {
        Var h = F.conv2d(in.get("x"), in.get("conv.weight"), null, 1, 1);
        h = F.batchNorm2d(h, in.get("bn.weight"), in.get("bn.bias"), in.get("bn.running_mean").value(),
                in.get("bn.running_var").value(), false, 0.1f, fx.floatArg("eps"));
        h = F.flatten(F.globalAvgPool(F.relu(h)), 1);
        Var logits = F.linear(h, in.get("fc.weight"), in.get("fc.bias"));
        String loss = fx.arg("loss");
        switch (loss) {
            case "meanSquaredNorm":
                return F.meanSquaredNorm(logits);
            case "crossEntropy":
                return F.crossEntropy(logits, fx.labels());
            default:
                throw new IllegalArgumentException(fx.name() + ": unknown loss '" + loss + "'");
        }
    }

    /**
     * A pre-norm ViT encoder block with timm's parameter names: x + attn(norm1(x)), then + mlp(norm2(.)),
     * scored with the LFSSD loss. Heads are split as timm does: qkv reshaped to {@code [B, N, 3, H, d]} and
     * permuted to {@code [3, B, H, N, d]}.
     */
    private static Var vitBlockComposite(Fixture fx, Map<String, Var> in, Map<String, Tensor> extras) {
        Var x = in.get("x");
        int batch = x.size(0);
        int tokens = x.size(1);
        int dim = x.size(2);
        int heads = fx.intArg("heads");
        float eps = fx.floatArg("eps");
        Var h = F.layerNorm(x, in.get("norm1.weight"), in.get("norm1.bias"), eps);
        Var qkv = F.linear(h, in.get("attn.qkv.weight"), in.get("attn.qkv.bias"));
        qkv = F.permute(F.reshape(qkv, batch, tokens, 3, heads, dim / heads), 2, 0, 3, 1, 4);
        Var attended = F.scaledDotProductAttention(F.select(qkv, 0, 0), F.select(qkv, 0, 1), F.select(qkv, 0, 2));
        Var merged = F.reshape(F.transpose(attended, 1, 2), batch, tokens, dim);
        Var x1 = F.add(x, F.linear(merged, in.get("attn.proj.weight"), in.get("attn.proj.bias")));
        Var h2 = F.layerNorm(x1, in.get("norm2.weight"), in.get("norm2.bias"), eps);
        Var mlp = F.linear(F.gelu(F.linear(h2, in.get("mlp.fc1.weight"), in.get("mlp.fc1.bias"))),
                in.get("mlp.fc2.weight"), in.get("mlp.fc2.bias"));
        return F.meanSquaredNorm(F.add(x1, mlp));
    }
}
