package org.lfssd.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.lfssd.data.Cifar100;
import org.lfssd.data.Dataset;
import org.lfssd.data.Normalization;
import org.lfssd.data.Split;
import org.lfssd.models.ResNet18;
import org.lfssd.nn.Checkpoints;

/**
 * The papers' CIFAR-100 full-class experiment with ResNet18 (the README's "Reproducing the papers" shows
 * this file verbatim). Arguments: the {@code cifar-100-binary} directory, a trained ResNet18 checkpoint with
 * PyTorch state-dict keys, and the class to forget.
 */
public final class ReproduceCifar100FullClass {
    private ReproduceCifar100FullClass() {}

    /** Runs the experiment and writes its table as CSV and JSON next to the working directory. */
    public static void main(String[] args) throws IOException {
        Path cifar = Path.of(args[0]);                  // cifar-100-binary/{train,test}.bin
        Path checkpoint = Path.of(args[1]);             // e.g. resnet18-cifar100.safetensors
        int forgetClass = Integer.parseInt(args[2]);    // 0..99

        // ToTensor, then the official mean/std (ALGORITHM.md §8.2); no augmentation for unlearning.
        Dataset train = Normalization.OFFICIAL.apply(Cifar100.fromDirectory(cifar, Split.TRAIN).cifar100());
        Dataset test = Normalization.OFFICIAL.apply(Cifar100.fromDirectory(cifar, Split.TEST).cifar100());

        ModelFactory factory = rng -> new ResNet18(100, rng);
        ResNet18 original = new ResNet18(100, new SplittableRandom(0));
        Checkpoints.load(original, checkpoint, true);   // strict: every key named on a mismatch
        // Or pre-train here as the official code does (200 epochs with crop and flip; days on a CPU):
        // Trainer.train(original, train, TrainingRecipe.officialPretrainResNet18Cifar100(
        //         RandomCropFlip.forNormalized(4, Normalization.OFFICIAL)), 0, null);

        ResultTable table = Experiment.builder(factory, original)
                .split(Scenarios.fullClass(train, test, 100, forgetClass))   // D = retain-train, then forget-train
                .methods(ForgettingMethod.original(),
                        ForgettingMethod.retrain(TrainingRecipe.officialRetrainResNet18Cifar100()),
                        ForgettingMethod.retrainHeadOnlyReset(TrainingRecipe.officialRetrainResNet18Cifar100(), "fc."),
                        ForgettingMethod.finetune(TrainingRecipe.officialFinetune()),   // 5 epochs on D_r, lr 0.02
                        ForgettingMethod.ssd(10, 1),                                    // α = 10, λ = 1 (§5)
                        ForgettingMethod.lfssd(10, 1),
                        ForgettingMethod.assd())
                .seeds(0, 1, 2)
                .batchSize(64)
                // The official code's figures exactly, quirks included:
                // .accuracyMode(AccuracyMode.OFFICIAL_BATCH_MEAN).zrfFormula(ZrfFormula.OFFICIAL_CODE)
                // .teacherMode(TeacherMode.OFFICIAL_TRAIN_MODE)
                .build().run();
        System.out.print(table.format());
        table.writeCsv(Path.of("cifar100-full-class-" + forgetClass + "-resnet18.csv"));
        table.writeJson(Path.of("cifar100-full-class-" + forgetClass + "-resnet18.json"));
    }
}
