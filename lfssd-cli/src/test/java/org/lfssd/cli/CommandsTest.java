package org.lfssd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.data.Dataset;
import org.lfssd.demo.FashionMnist;
import org.lfssd.eval.Accuracy;
import org.lfssd.eval.Logits;
import org.lfssd.io.SafeTensors;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;

/** {@code info}, {@code train}, {@code importance}, {@code evaluate} and {@code experiment} on small inputs. */
class CommandsTest {
    @TempDir
    Path dir;

    @Test
    void trainRecordsTheModelAndThePreprocessing() throws IOException {
        assertTrue(Fixture.TRAIN.out().contains("training resnet18 (10 classes, 1 input channels, width 1/16) on fmnist:embedded:"
                + " 300 images, 1 epochs"), Fixture.TRAIN::toString);
        Map<String, String> meta = SafeTensors.readMetadata(Fixture.MODEL);
        assertEquals("resnet18", meta.get("lfssd.model"));
        assertEquals("16", meta.get("lfssd.width_divisor"));
        assertEquals("1x28x28", meta.get("lfssd.input_shape"));
        assertEquals("{\"channels\":1,\"pad\":0,\"resize\":0,\"mean\":[0.286],\"std\":[0.353],"
                + "\"order\":\"channels,pad,normalize,resize\"}", meta.get("lfssd.preprocessing"));
    }

    @Test
    void importanceWritesOmegaDWithItsProvenance() throws IOException {
        Importance omega = Importance.load(Fixture.OMEGA_D);
        assertEquals(Method.LFSSD, omega.method());
        assertEquals(Reduction.REFERENCE, omega.reduction());
        assertEquals(300, omega.sampleCount());
        assertEquals(5, omega.batchCount());
        assertEquals(Optional.of(SafeTensors.readMetadata(Fixture.MODEL).get("lfssd.preprocessing")), omega.preprocessing());
        assertEquals(44_550, omega.elementCount());
        // Ω_f on a forget set, as JSON.
        Path omegaF = dir.resolve("omega-f.safetensors");
        Cli r = Cli.run(Fixture.args(new String[] {"importance", "-q", "--json", Fixture.MODEL.toString(), "-o", omegaF.toString()},
                "--forget-class", "3", "--method", "ssd"));
        assertEquals(0, r.code(), r::toString);
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.read(r.out(), "stdout");
        assertEquals("omega_f", doc.get("kind"));
        assertEquals("SSD", doc.get("method"));
        long threes = java.util.Arrays.stream(FashionMnist.embedded(FashionMnist.Split.TRAIN).first(300).labels())
                .filter(y -> y == 3).count();
        assertEquals(threes, doc.get("samples"));
        assertEquals(Sha256.of(omegaF), doc.get("sha256"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void infoPrintsKernelsAndTheModelsParameters() throws IOException {
        Cli plain = Cli.run("info");
        assertEquals(0, plain.code(), plain::toString);
        assertTrue(plain.out().contains("kernels: provider " + Kernels.selection().provider().name()) && plain.out()
                .contains("gemm " + Kernels.selection().gemm().name() + ", threads " + Parallel.threads()), plain::toString);

        Cli r = Cli.run("info", Fixture.MODEL.toString());
        assertEquals(0, r.code(), r::toString);
        Module m = ModelLoading.load(Fixture.MODEL);
        assertTrue(r.out().contains("total: 44,550 parameters in 62 tensors"), r::toString);
        assertTrue(r.out().matches("(?s).*conv1\\.0\\.weight\\s+\\[4, 1, 3, 3]\\s+36\n.*"), r::toString);
        assertTrue(r.out().matches("(?s).*fc\\.weight\\s+\\[10, 32]\\s+320\n.*"), r::toString);

        Cli json = Cli.run("info", "--json", Fixture.MODEL.toString());
        Map<String, Object> ck = (Map<String, Object>) ((Map<String, Object>) Json.read(json.out(), "stdout")).get("checkpoint");
        assertEquals(44_550L, ck.get("parameter_count"));
        assertEquals("F32", ck.get("dtype"));
        List<Map<String, Object>> params = (List<Map<String, Object>>) ck.get("parameters");
        assertEquals(62, params.size());
        assertEquals(Map.of("name", "fc.bias", "shape", List.of(10L), "count", 10L), params.get(61));
        long sum = params.stream().mapToLong(p -> (Long) p.get("count")).sum();
        assertEquals(m.parameterCount(), sum);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPyTorchExportWithoutMetadataIsRecognisedByItsKeys() throws IOException {
        Module tv = new org.lfssd.models.TorchvisionResNet18(org.lfssd.models.TorchvisionResNet18.Stem.CIFAR, 7, 3, 16,
                new java.util.SplittableRandom(3));
        Path file = dir.resolve("exported.safetensors");
        SafeTensors.write(file, tv.stateDict(), Map.of());
        Cli r = Cli.run("info", "--json", file.toString());
        assertEquals(0, r.code(), r::toString);
        Map<String, Object> ck = (Map<String, Object>) ((Map<String, Object>) Json.read(r.out(), "stdout")).get("checkpoint");
        assertEquals(Map.of("arch", "resnet18-tv-cifar", "classes", 7L, "in_channels", 3L, "width_divisor", 16L), ck.get("model"));
        assertEquals(tv.parameterCount(), ck.get("parameter_count"));
        Cli wrong = Cli.run("info", file.toString(), "--model", "resnet18");
        assertEquals(ExitCodes.INPUT_REJECTED, wrong.code(), wrong::toString);
        assertTrue(wrong.err().contains("does not fit the model resnet18 (7 classes, 3 input channels)")
                && wrong.err().contains("choose another with --model") && wrong.err().contains("torchvision"), wrong::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void evaluateGivesTheMetricsOfTwoCheckpoints() throws IOException {
        Path forgotten = dir.resolve("forgotten.safetensors");
        Cli f = Cli.run(Fixture.args(new String[] {"forget", "-q", Fixture.MODEL.toString(), "-o", forgotten.toString()},
                "--forget-class", "3", "--omega-d", Fixture.OMEGA_D.toString(), "--alpha", "2"));
        assertEquals(0, f.code(), f::toString);
        Cli r = Cli.run(Fixture.args(new String[] {"evaluate", "-q", "--json", Fixture.MODEL.toString(), forgotten.toString()},
                "--forget-class", "3"));
        assertEquals(0, r.code(), r::toString);
        List<Map<String, Object>> cks = (List<Map<String, Object>>) ((Map<String, Object>) Json.read(r.out(), "stdout"))
                .get("checkpoints");
        assertEquals(2, cks.size());
        // The original's figures, recomputed here with the library.
        Module original = ModelLoading.load(Fixture.MODEL);
        Dataset test = FashionMnist.embedded(FashionMnist.Split.TEST).first(200).normalized(0.2860f, 0.3530f);
        Accuracy acc = Accuracy.of(Logits.of(original, test, 64));
        Map<String, Object> o = cks.get(0);
        assertEquals(acc.overall(), (Double) o.get("test_accuracy"), 1e-12);
        assertEquals(acc.over(k -> k != 3), (Double) o.get("retain_test_accuracy"), 1e-12);
        assertEquals(acc.ofClass(3), (Double) o.get("forget_test_accuracy"), 1e-12);
        List<Double> perClass = (List<Double>) o.get("per_class_accuracy");
        for (int k = 0; k < 10; k++) {
            assertEquals(acc.ofClass(k), perClass.get(k), 1e-12);
        }
        for (Map<String, Object> c : cks) {
            double mia = (Double) c.get("mia");
            double zrf = (Double) c.get("zrf");
            assertTrue(mia >= 0 && mia <= 1 && zrf >= 0 && zrf <= 1, c.toString());
        }
        // The distance between the two on D_f, and ZRF against a fresh model, recomputed with the library.
        Dataset forgetSet = FashionMnist.embedded(FashionMnist.Split.TRAIN).first(300).normalized(0.2860f, 0.3530f)
                .whereLabel(y -> y == 3);
        Logits a = Logits.of(original, forgetSet, 64);
        Logits b = Logits.of(ModelLoading.load(forgotten), forgetSet, 64);
        Map<String, Object> all = (Map<String, Object>) Json.read(r.out(), "stdout");
        assertEquals(org.lfssd.eval.ActivationDistance.between(b, a), (Double) all.get("activation_distance_on_forget_set"), 1e-12);
        Logits teacher = Logits.of(new org.lfssd.models.ResNet18(10, 1, 16, new java.util.SplittableRandom(0)), forgetSet, 64);
        assertEquals(org.lfssd.eval.ZeroRetrainForgetting.score(a, teacher, org.lfssd.eval.ZrfFormula.JENSEN_SHANNON),
                (Double) o.get("zrf"), 1e-12);
        Cli text = Cli.run(Fixture.args(new String[] {"evaluate", "-q", Fixture.MODEL.toString(), forgotten.toString()}));
        assertTrue(text.out().contains("model.safetensors") && text.out().contains("forgotten.safetensors")
                && text.out().contains("3 Dress"), text::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void folderAndCifarSourcesAreReadWithTheirPreprocessing() throws IOException {
        // folder:DIR with train/ and test/, two classes of 8x8 colour images.
        Path folder = dir.resolve("images");
        java.util.Random rnd = new java.util.Random(5);
        for (String split : List.of("train", "test")) {
            for (String cls : List.of("cats", "dogs")) {
                Files.createDirectories(folder.resolve(split).resolve(cls));
                for (int i = 0; i < 4; i++) {
                    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            img.setRGB(x, y, rnd.nextInt(1 << 24));
                        }
                    }
                    javax.imageio.ImageIO.write(img, "png", folder.resolve(split).resolve(cls).resolve(i + ".png").toFile());
                }
            }
        }
        Path model = dir.resolve("folder-model.safetensors");
        Cli t = Cli.run("train", "-q", "--json", "-d", "folder:" + folder, "--width-divisor", "16", "--epochs", "1", "-o",
                model.toString());
        assertEquals(0, t.code(), t::toString);
        Map<String, Object> doc = (Map<String, Object>) Json.read(t.out(), "stdout");
        assertEquals(Map.of("arch", "resnet18", "classes", 2L, "in_channels", 3L, "width_divisor", 16L), doc.get("model"));
        Map<String, Object> data = (Map<String, Object>) doc.get("data");
        assertEquals(8L, data.get("train_images"));
        assertEquals(8L, data.get("test_images"));
        Cli e = Cli.run("evaluate", "-q", model.toString(), "-d", "folder:" + folder);
        assertEquals(0, e.code(), e::toString);
        assertTrue(e.out().contains("0 cats") && e.out().contains("1 dogs"), e::toString);

        // cifar10:DIR: the six binary batch files, here with three records each.
        Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            byte[] b = new byte[3 * 3073];
            rnd.nextBytes(b);
            for (int r = 0; r < 3; r++) {
                b[r * 3073] = (byte) rnd.nextInt(10);
            }
            Files.write(cifar.resolve(f), b);
        }
        Cli c = Cli.run("train", "-q", "--json", "-d", "cifar10:" + cifar, "--width-divisor", "16", "--epochs", "1", "-o",
                dir.resolve("cifar.safetensors").toString());
        assertEquals(0, c.code(), c::toString);
        Map<String, Object> cd = (Map<String, Object>) ((Map<String, Object>) Json.read(c.out(), "stdout")).get("data");
        assertEquals(15L, cd.get("train_images"));
        Map<String, Object> prep = (Map<String, Object>) cd.get("preprocessing");
        assertEquals(3L, prep.get("channels"));
        // Floats are written with their shortest decimal form (Float.toString), read back as doubles.
        List<Double> official = new java.util.ArrayList<>();
        for (float m : org.lfssd.data.Normalization.OFFICIAL.mean()) {
            official.add(Double.parseDouble(Float.toString(m)));
        }
        assertEquals(official, prep.get("mean"), "the SSD code's normalisation");
        assertEquals("3x32x32", SafeTensors.readMetadata(dir.resolve("cifar.safetensors")).get("lfssd.input_shape"));
    }

    @Test
    void experimentWritesResultsAndAReportWithEveryPlot() throws IOException {
        Path config = dir.resolve("experiment.json");
        Files.writeString(config, """
                {
                  "data": "fmnist:embedded", "train_limit": 300, "test_limit": 200,
                  "model": {"checkpoint": "%s"},
                  "scenario": {"kind": "full-class", "class": 3},
                  "methods": ["original", {"name": "lfssd", "alpha": 2}],
                  "alpha_sweep": {"method": "lfssd", "values": [1.5, 4]},
                  "seeds": [0]
                }
                """.formatted(Fixture.MODEL.toString().replace("\\", "\\\\")));
        Path out = dir.resolve("results");
        Cli r = Cli.run("experiment", "-q", config.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r::toString);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, csv.size(), "header and four rows");
        assertTrue(csv.get(0).startsWith("scenario,method,seed,test_acc"));
        assertEquals(List.of("original", "lfssd", "lfssd alpha=1.5", "lfssd alpha=4"),
                csv.subList(1, 5).stream().map(l -> l.split(",")[1]).toList());
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(4, html.split("<svg", -1).length - 1, "per-class accuracy, selection, ratio histogram, alpha sweep");
        assertTrue(html.contains("Alpha sweep: lfssd") && html.contains("experiment_seconds"), "sweep plot and timings");
        assertTrue(Files.readString(out.resolve("report.md")).contains("| lfssd alpha=1.5 | 0 |"));
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"method\" : \"lfssd alpha=4\""));
        Cli again = Cli.run("experiment", "-q", config.toString(), "-o", out.toString());
        assertEquals(ExitCodes.INPUT_REJECTED, again.code(), "no clobbering");

        Files.writeString(config, "{\"data\": \"fmnist:embedded\", \"model\": {}, \"scenario\": {\"kind\": \"sideways\"}}");
        Cli bad = Cli.run("experiment", "-q", config.toString(), "-o", dir.resolve("r2").toString());
        assertEquals(ExitCodes.INPUT_REJECTED, bad.code(), bad::toString);
    }
}
