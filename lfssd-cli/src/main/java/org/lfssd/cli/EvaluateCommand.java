package org.lfssd.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.lfssd.data.Dataset;
import org.lfssd.eval.Accuracy;
import org.lfssd.eval.ActivationDistance;
import org.lfssd.eval.Logits;
import org.lfssd.eval.MembershipInference;
import org.lfssd.eval.ZeroRetrainForgetting;
import org.lfssd.eval.ZrfFormula;
import org.lfssd.unlearn.ProgressListener;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lfssd evaluate}: the evaluation metrics for one or two checkpoints. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy per class and overall on the test set; with a forget set also retain/forget accuracy,"
                + " the membership-inference attack (MIA) and ZRF against a freshly initialised model. Two checkpoints are"
                + " shown side by side (e.g. before and after), with their activation distance on the forget set.")
final class EvaluateCommand extends BaseCommand {
    @Parameters(index = "0", arity = "1..2", paramLabel = "CHECKPOINT", description = "One or two checkpoints.")
    List<Path> checkpoints;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @ArgGroup(exclusive = true, heading = "Forget set, for the retain/forget split and the MIA (optional):%n")
    ForgetSetOptions forget;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "256", description = "Evaluation batch size.")
    int batchSize;

    @Override
    Map<String, Object> run() throws Exception {
        DataOptions.Prepared d = data.load();
        ForgetSet fs = forget == null ? null : forget.resolve(d, org.lfssd.unlearn.Method.LFSSD);
        Set<Integer> forgottenClasses = new HashSet<>();
        if (forget != null && forget.classes != null) {
            for (int k : forget.classes) {
                forgottenClasses.add(k);
            }
        }
        Dataset retainTrain = null;
        if (fs != null) {
            if (fs.trainIndices() != null) {
                Set<Integer> out = new HashSet<>();
                for (int i : fs.trainIndices()) {
                    out.add(i);
                }
                retainTrain = d.train().select(IntStream.range(0, d.train().size()).filter(i -> !out.contains(i)).toArray());
            } else {
                retainTrain = d.train();
            }
        }
        ProgressListener progress = progress();
        List<Map<String, Object>> results = new ArrayList<>();
        List<Accuracy> perClass = new ArrayList<>();
        List<Logits> forgetLogits = new ArrayList<>();
        Logits teacher = null;
        for (Path p : checkpoints) {
            Checkpoint c = Checkpoint.load(p, model, d.numClasses());
            c.requireFits(d);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", p.toString());
            m.put("sha256", Sha256.of(p));
            Logits test = Evaluation.logits(c.model(), d.test(), batchSize, progress, "evaluation " + p.getFileName() + " (test set)");
            Accuracy acc = Accuracy.of(test);
            perClass.add(acc);
            m.put("test_accuracy", acc.overall());
            double[] pc = new double[d.numClasses()];
            for (int k = 0; k < pc.length; k++) {
                pc[k] = acc.ofClass(k);
            }
            m.put("per_class_accuracy", pc);
            if (fs != null) {
                Logits fTrain = Evaluation.logits(c.model(), fs.data(), batchSize, progress, "evaluation (forget set)");
                Logits rTrain = Evaluation.logits(c.model(), retainTrain, batchSize, progress, "evaluation (retain set)");
                m.put("forget_train_accuracy", Accuracy.of(fTrain).overall());
                m.put("retain_train_accuracy", Accuracy.of(rTrain).overall());
                if (!forgottenClasses.isEmpty()) {
                    m.put("retain_test_accuracy", acc.over(k -> !forgottenClasses.contains(k)));
                    m.put("forget_test_accuracy", acc.over(forgottenClasses::contains));
                }
                m.put("mia", MembershipInference.attack(rTrain, test, fTrain).memberFraction());
                if (teacher == null) {
                    // The papers' "unlearning teacher": a freshly initialised model of the same architecture.
                    teacher = Logits.of(c.spec().create(0), fs.data(), batchSize);
                }
                m.put("zrf", ZeroRetrainForgetting.score(fTrain, teacher, ZrfFormula.JENSEN_SHANNON));
                forgetLogits.add(fTrain);
            }
            results.add(m);
        }
        Double distance = forgetLogits.size() == 2 ? ActivationDistance.between(forgetLogits.get(1), forgetLogits.get(0)) : null;
        print(d, results, perClass);
        if (distance != null) {
            text().printf(Locale.ROOT, "activation distance on the forget set between the two: %.4f%n", distance);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("activation_distance_on_forget_set", distance);
        result.put("data", data.describe(d));
        result.put("forget_set", fs == null ? null : fs.spec());
        result.put("checkpoints", results);
        return result;
    }

    private void print(DataOptions.Prepared d, List<Map<String, Object>> results, List<Accuracy> perClass) {
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-24s", "metric"));
        for (Map<String, Object> r : results) {
            head.append(String.format(Locale.ROOT, " %24s", Path.of((String) r.get("checkpoint")).getFileName()));
        }
        text().println(head);
        for (String key : List.of("test_accuracy", "retain_test_accuracy", "forget_test_accuracy", "retain_train_accuracy",
                "forget_train_accuracy", "mia", "zrf")) {
            if (!results.get(0).containsKey(key)) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", key.replace('_', ' ')));
            for (Map<String, Object> r : results) {
                double v = (Double) r.get(key);
                line.append(key.equals("zrf") ? String.format(Locale.ROOT, " %24.4f", v)
                        : String.format(Locale.ROOT, " %23.2f%%", 100 * v));
            }
            text().println(line);
        }
        for (int k = 0; k < d.numClasses(); k++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s", k + " " + d.source().classNames().get(k)));
            for (Accuracy a : perClass) {
                line.append(String.format(Locale.ROOT, " %23.2f%%", 100 * a.ofClass(k)));
            }
            text().println(line);
        }
    }
}
