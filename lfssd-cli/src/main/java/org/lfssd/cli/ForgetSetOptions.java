package org.lfssd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.lfssd.data.Dataset;
import org.lfssd.data.ImageFolder;
import org.lfssd.unlearn.Method;
import picocli.CommandLine.Option;

/** The forget set: class ids, a file of sample indices, or a folder of images. */
final class ForgetSetOptions {
    @Option(names = "--forget-class", split = ",", paramLabel = "K",
            description = "Forget every training image of these classes (e.g. 3 or 3,5).")
    int[] classes;

    @Option(names = "--forget-indices", paramLabel = "FILE",
            description = "Forget the training images at these 0-based indices (whitespace- or comma-separated; # comments).")
    Path indices;

    @Option(names = "--forget-folder", paramLabel = "DIR",
            description = "Forget these images: DIR holds one sub-folder per class, named by the class id (e.g. DIR/3/*.png).")
    Path folder;

    ForgetSet resolve(DataOptions.Prepared d, Method method) throws IOException {
        Dataset train = d.train();
        if (classes != null) {
            Set<Integer> ks = new HashSet<>();
            for (int k : classes) {
                if (k < 0 || k >= d.numClasses()) {
                    throw new InputRejectedException("--forget-class " + k + " outside [0, " + d.numClasses() + ") for "
                            + d.source().spec());
                }
                ks.add(k);
            }
            int[] ids = IntStream.range(0, train.size()).filter(i -> ks.contains(train.labels()[i])).toArray();
            String names = Arrays.stream(classes).mapToObj(k -> k + " (" + d.source().classNames().get(k) + ")")
                    .collect(Collectors.joining(", "));
            return fromIndices(d, ids, "class " + names, "classes", Arrays.stream(classes).boxed().toList(), null);
        }
        if (indices != null) {
            return fromIndices(d, readIndices(indices, train.size()), "the samples listed in " + indices, "indices_file",
                    indices.toString(), indices);
        }
        return fromFolder(d, method);
    }

    private static ForgetSet fromIndices(DataOptions.Prepared d, int[] ids, String description, String kind, Object given,
                                         Path file) {
        if (ids.length == 0) {
            throw new InputRejectedException("the forget set (" + description + ") is empty in " + d.source().spec());
        }
        String idText = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", kind);
        spec.put("given", given);
        spec.put("samples", ids.length);
        spec.put("sample_ids_sha256", Sha256.of(idText));
        spec.put("sample_ids", ids.length <= 10_000 ? ids : null);
        Map<String, Path> files = new LinkedHashMap<>();
        if (file != null) {
            files.put("forget_set_indices", file);
        }
        return new ForgetSet(d.train().select(ids), description + ", " + ids.length + " training images", spec, files, ids);
    }

    private static int[] readIndices(Path file, int n) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputRejectedException(file + ": no such file of sample indices");
        }
        List<Integer> ids = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        List<String> lines = Files.readAllLines(file);
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            for (String tok : line.split("[\\s,]+")) {
                if (tok.isEmpty()) {
                    continue;
                }
                int v;
                try {
                    v = Integer.parseInt(tok);
                } catch (NumberFormatException e) {
                    throw new InputRejectedException(file + " line " + (ln + 1) + ": '" + tok + "' is not a sample index");
                }
                if (v < 0 || v >= n) {
                    throw new InputRejectedException(file + " line " + (ln + 1) + ": sample index " + v
                            + " outside the training set [0, " + n + ")");
                }
                if (!seen.add(v)) {
                    throw new InputRejectedException(file + " line " + (ln + 1) + ": sample index " + v + " is listed twice");
                }
                ids.add(v);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private ForgetSet fromFolder(DataOptions.Prepared d, Method method) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new InputRejectedException(folder + ": no such forget folder");
        }
        ImageFolder f = ImageFolder.read(folder, 0);
        int[] labelOf = new int[f.numClasses()];
        for (int i = 0; i < labelOf.length; i++) {
            String name = f.classNames().get(i);
            int k = d.source().classNames().indexOf(name);
            if (k < 0) {
                try {
                    k = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    throw new InputRejectedException(folder + ": sub-folder '" + name + "' is neither a class id nor a class"
                            + " name of " + d.source().spec());
                }
            }
            if (k < 0 || k >= d.numClasses()) {
                throw new InputRejectedException(folder + ": sub-folder '" + name + "' names class " + k + " outside [0, "
                        + d.numClasses() + ")");
            }
            labelOf[i] = k;
        }
        int[] labels = Arrays.stream(f.data().labels()).map(l -> labelOf[l]).toArray();
        Dataset images = d.preprocessing().apply(new Dataset(f.data().images(), labels), "forget folder " + folder);
        int[] want = Checkpoint.sampleShape(d.train());
        int[] got = Checkpoint.sampleShape(images);
        if (!Arrays.equals(want, got)) {
            throw new InputRejectedException("images of the wrong size: the forget folder " + folder + " gives "
                    + Checkpoint.shapeString(got) + " after preprocessing, the data and model use " + Checkpoint.shapeString(want)
                    + " (resize the images, or set --pad/--resize)");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < f.files().size(); i++) {
            Path p = f.files().get(i);
            files.put("forget_set_image " + i, p);
            names.add(folder.relativize(p).toString());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "folder");
        spec.put("given", folder.toString());
        spec.put("samples", f.files().size());
        spec.put("files_sha256", Sha256.of(String.join("\n", names)));
        spec.put("method_needs_labels", method == Method.SSD);
        return new ForgetSet(images, f.files().size() + " images from " + folder, spec, files, null);
    }
}
