package org.lfssd.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.lfssd.data.Dataset;
import org.lfssd.models.ResNet18;
import org.lfssd.nn.Checkpoints;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;

/** Forget one class of a CIFAR-size ResNet18 with LFSSD. */
public final class QuickStart {
    public static void main(String[] args) throws IOException {
        // Your training data: N images as one float[] in NCHW order (N×3×32×32, normalised) and N labels.
        int n = 512;
        float[] pixels = new float[n * 3 * 32 * 32];
        int[] labels = new int[n];
        SplittableRandom random = new SplittableRandom(0);   // stand-ins; use your own arrays here
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        Dataset train = new Dataset(Tensor.fromArray(pixels, n, 3, 32, 32), labels);

        ResNet18 model = new ResNet18(10, new SplittableRandom(0));  // the SSD code's CIFAR ResNet18
        if (args.length > 0) {
            Checkpoints.load(model, Path.of(args[0]));  // a .safetensors file; strict: keys and shapes must match
        }

        Unlearner unlearner = Unlearner.lfssd().alpha(10).lambda(1).build();
        Importance omegaD = unlearner.importance(model, train.batches(64));  // Ω_D: once, after training
        omegaD.save(Path.of("omega-d.safetensors"));                        // Importance.load(...) later

        Dataset forgetSet = train.whereLabel(label -> label == 3);           // forget class 3
        DampeningReport report = unlearner.forget(model, forgetSet.batches(64), omegaD);
        System.out.println(report.summary());    // also logged at INFO; report.toString() has every tensor
        Checkpoints.save(model, Path.of("resnet18-without-class-3.safetensors"), Map.of());
    }
}
