package org.lfssd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.SafeTensors;

/** Exit codes and messages for the listed error cases; none of them leaves a file behind. */
class ExitCodesTest {
    @TempDir
    Path dir;

    private Cli forget(String... more) {
        return Cli.run(Fixture.args(new String[] {"forget", "-q", Fixture.MODEL.toString(), "-o",
            dir.resolve("out.safetensors").toString()}, more));
    }

    private void assertRejected(Cli r, int code, String... fragments) throws IOException {
        assertEquals(code, r.code(), r::toString);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "missing '" + f + "' in\n" + r);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("out")).toList(), "no output written");
        }
    }

    @Test
    void usageErrorsExitWith2() {
        Cli r = Cli.run("forget", Fixture.MODEL.toString(), "--data", "fmnist:embedded", "--forget-class", "3", "--no-such-option");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("Unknown option: '--no-such-option'") && r.err().contains("Usage: lfssd forget"), r::toString);
        Cli none = Cli.run("forget", Fixture.MODEL.toString(), "--data", "fmnist:embedded");
        assertEquals(ExitCodes.USAGE, none.code(), none::toString);
        assertTrue(none.err().contains("--forget-class"), none::toString);
        assertEquals(ExitCodes.USAGE, Cli.run().code());
    }

    @Test
    void aMissingFileIsRejected() throws IOException {
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", dir.resolve("nope.safetensors").toString()},
                "--forget-class", "3"));
        assertRejected(r, ExitCodes.INPUT_REJECTED, "nope.safetensors: no such checkpoint file");
        assertRejected(forget("--forget-class", "3", "--omega-d", dir.resolve("missing-omega.safetensors").toString()),
                ExitCodes.INPUT_REJECTED, "missing-omega.safetensors: no such Omega_D file");
        assertRejected(forget("--forget-indices", dir.resolve("ids.txt").toString()), ExitCodes.INPUT_REJECTED,
                "ids.txt: no such file of sample indices");
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRejected() throws IOException {
        Cli r = forget("--forget-class", "3", "--model", "resnet18-tv-cifar");
        assertRejected(r, ExitCodes.INPUT_REJECTED, "does not fit the model resnet18-tv-cifar", "conv1.0.weight");
    }

    @Test
    void imagesOfTheWrongSizeAreRejected() throws IOException {
        Path folder = dir.resolve("forget-images");
        Files.createDirectories(folder.resolve("3"));
        for (int i = 0; i < 2; i++) {
            ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png", folder.resolve("3/img" + i + ".png").toFile());
        }
        assertRejected(forget("--forget-folder", folder.toString()), ExitCodes.INPUT_REJECTED,
                "images of the wrong size: the forget folder", "gives 1x20x20 after preprocessing, the data and model use 1x28x28");
        // A checkpoint trained on 28x28 input, fed 32x32 (padded) data.
        assertRejected(forget("--forget-class", "3", "--pad", "2"), ExitCodes.INPUT_REJECTED,
                "was trained on images preprocessed as", "\"pad\":0", "\"pad\":2");
    }

    @Test
    void anOmegaDWithOtherPreprocessingIsRefused() throws IOException {
        // A checkpoint without the tool's metadata (as exported from PyTorch): only Ω_D's record can catch it.
        Path bare = dir.resolve("bare.safetensors");
        SafeTensors.write(bare, SafeTensors.read(Fixture.MODEL), java.util.Map.of());
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", bare.toString(), "-o", dir.resolve("out.safetensors").toString()},
                "--forget-class", "3", "--omega-d", Fixture.OMEGA_D.toString(), "--pad", "2"));
        assertRejected(r, ExitCodes.INPUT_REJECTED, "omega-d.safetensors was computed on images preprocessed as",
                "\"pad\":0", "\"pad\":2", "only valid for the same preprocessing");
    }

    @Test
    void anUnknownDataSourceIsRejected() throws IOException {
        Cli r = Cli.run("forget", "-q", Fixture.MODEL.toString(), "--data", "mnist:embedded", "--forget-class", "3",
                "-o", dir.resolve("out.safetensors").toString());
        assertRejected(r, ExitCodes.INPUT_REJECTED, "unknown data source 'mnist:embedded'", "fmnist:embedded, fmnist:DIR");
        Cli noDir = Cli.run("evaluate", "-q", Fixture.MODEL.toString(), "--data", "cifar10:" + dir.resolve("absent"));
        assertEquals(ExitCodes.INPUT_REJECTED, noDir.code(), noDir::toString);
        assertTrue(noDir.err().contains("no such folder"), noDir::toString);
    }

    @Test
    void anUnreachableAlphaExitsWith4AndSuggestsTheAdaptiveOne() throws IOException {
        Cli r = forget("--forget-class", "3", "--omega-d", Fixture.OMEGA_D.toString(), "--alpha", "1e30");
        assertRejected(r, ExitCodes.NOTHING_SELECTED, "nothing selected, nothing written", "largest ratio Omega_f/Omega_D present is",
                "not above alpha = 1.00000e+30", "--adaptive-alpha");
    }

    @Test
    void badIndicesNameTheLine() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "1 2\n3 300\n");
        assertRejected(forget("--forget-indices", ids.toString()), ExitCodes.INPUT_REJECTED,
                "ids.txt line 2: sample index 300 outside the training set [0, 300)");
        Files.writeString(ids, "1 2 x\n");
        assertRejected(forget("--forget-indices", ids.toString()), ExitCodes.INPUT_REJECTED, "ids.txt line 1: 'x' is not a sample index");
    }

    @Test
    void theHelpOfEveryCommandListsTheExitCodes() {
        for (List<String> cmd : List.<List<String>>of(List.of(), List.of("info"), List.of("train"), List.of("importance"), List.of("forget"),
                List.of("evaluate"), List.of("experiment"), List.of("audit"), List.of("audit", "verify"))) {
            String[] args = Stream.concat(cmd.stream(), Stream.of("--help")).toArray(String[]::new);
            Cli r = Cli.run(args);
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("Usage: lfssd" + (cmd.isEmpty() ? "" : " " + String.join(" ", cmd))), r::toString);
            assertTrue(r.out().contains("Exit codes:") && r.out().contains("Nothing selected"), r::toString);
        }
        Cli forgetHelp = Cli.run("forget", "--help");
        for (String option : List.of("--forget-class", "--forget-indices", "--forget-folder", "--omega-d", "--in-place", "--dtype",
                "--report", "--adaptive-alpha", "--json", "--quiet", "--mean", "--pad", "--resize", "--grey-to-rgb", "--channels")) {
            assertTrue(forgetHelp.out().contains(option), option);
        }
        assertEquals(0, Cli.run("--version").code());
    }

}
