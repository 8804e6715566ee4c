package org.lfssd.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.F;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.nn.Sequential;
import org.lfssd.tensor.Tensor;

/**
 * docs/TUTORIAL.md cannot disagree with the code: its output block is what {@link LfssdByHand} prints, the
 * numbers its text quotes are recomputed here, and the hand-written LFSSD gives the {@code Unlearner}'s
 * weights bit for bit. (Its Java blocks are checked by {@link ReadmeSnippetsTest}.)
 */
class TutorialTest {
    private static final Path TUTORIAL = ReadmeSnippetsTest.ROOT.resolve("docs/TUTORIAL.md");
    private static final String OUTPUT_MARKER = "<!-- output: lfssd-examples/src/main/java/org/lfssd/examples/LfssdByHand.java -->";

    @Test
    void theOutputShownIsWhatTheProgramPrints() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            LfssdByHand.run(out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").stripTrailing();
        assertEquals(printed, outputBlock(), "docs/TUTORIAL.md's output block; paste the program's output there");
    }

    @Test
    void byHandAndTheUnlearnerGiveTheSameWeightsBitForBit() {
        List<Map<String, Tensor>> results = LfssdByHand.run(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        Map<String, Tensor> byHand = results.get(0);
        Map<String, Tensor> viaUnlearner = results.get(1);
        assertEquals(byHand.keySet(), viaUnlearner.keySet());
        byHand.forEach((name, t) -> assertArrayEquals(t.toArray(), viaUnlearner.get(name).toArray(), name));
        // The example is only worth reading if it selects some weights and leaves others alone.
        Module original = LfssdByHand.twoLayerMlp();
        long changed = byHand.entrySet().stream().mapToLong(e -> {
            float[] before = original.namedParameters().get(e.getKey()).value().toArray();
            float[] after = e.getValue().toArray();
            long n = 0;
            for (int i = 0; i < after.length; i++) {
                n += Float.compare(before[i], after[i]) != 0 ? 1 : 0;
            }
            return n;
        }).sum();
        assertEquals(4, changed, "weights that changed value (two selected weights are zero biases)");
    }

    @Test
    void theNumbersInTheTextAreComputed() throws IOException {
        String text = Files.readString(TUTORIAL, StandardCharsets.UTF_8);
        Sequential mlp = (Sequential) LfssdByHand.twoLayerMlp();
        try (var noGrad = GradMode.disabled()) {
            Var x1 = Var.constant(Tensor.fromArray(new float[] {1, 0}, 1, 2));
            Var x2 = Var.constant(Tensor.fromArray(new float[] {0, 1}, 1, 2));
            Var hidden = mlp.get(1).forward(mlp.get(0).forward(x1));
            assertContains(text, "relu(W₁x₁ + b₁) = " + LfssdByHand.list(hidden.value().toArray(), false));
            assertContains(text, "+ b₂ = " + LfssdByHand.list(mlp.forward(x1).value().toArray(), false));
            assertContains(text, "‖f(x₁)‖² = " + LfssdByHand.fmt(F.squaredNorm(mlp.forward(x1)).value().item()) + ".");
            assertContains(text, "‖f(x₂)‖² = " + LfssdByHand.fmt(F.squaredNorm(mlp.forward(x2)).value().item()) + ".");
        }
        assertContains(text, "a two-layer MLP with " + LfssdByHand.twoLayerMlp().parameterCount() + " weights");
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "docs/TUTORIAL.md should say '" + expected + "'");
    }

    private static String outputBlock() throws IOException {
        List<String> lines = Files.readAllLines(TUTORIAL, StandardCharsets.UTF_8);
        int marker = lines.indexOf(OUTPUT_MARKER);
        assertTrue(marker >= 0 && lines.get(marker + 1).equals("```text"), "docs/TUTORIAL.md lacks " + OUTPUT_MARKER
                + " followed by a ```text block");
        int end = marker + 2;
        while (!lines.get(end).equals("```")) {
            end++;
        }
        return String.join("\n", lines.subList(marker + 2, end));
    }
}
