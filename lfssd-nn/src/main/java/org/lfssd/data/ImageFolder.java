package org.lfssd.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.lfssd.tensor.Tensor;

/**
 * Images in one sub-folder per class, like torchvision's {@code ImageFolder}: class folders sorted by name
 * get labels 0, 1, …; inside each, files are read in name order. PNG, JPEG, BMP and GIF are decoded through
 * {@code javax.imageio}; other files are skipped. Images become RGB {@code [3, H, W]} in [0, 1]
 * ({@code ToTensor}); grey-scale images are replicated to three channels.
 *
 * @param data       every image with its class label, in folder then file order
 * @param classNames the class folder names, indexed by label
 * @param files      the file of each image, in the same order as {@code data}
 */
public record ImageFolder(Dataset data, List<String> classNames, List<Path> files) {

    /**
     * Copies the lists.
     *
     * @param data       every image with its class label, in folder then file order
     * @param classNames the class folder names, indexed by label
     * @param files      the file of each image, in the same order as {@code data}
     */
    public ImageFolder {
        classNames = List.copyOf(classNames);
        files = List.copyOf(files);
    }

    /**
     * Reads {@code root}. All images must have the same size, or {@code size > 0} must be given: then every
     * image is resized to {@code size × size} by {@link BilinearResize} after decoding.
     *
     * @param root the directory holding one sub-folder per class
     * @param size the side to resize every image to, or 0 (or less) to keep the decoded size
     * @return the images {@code [N, 3, H, W]} in [0, 1] with their labels, class names and files
     * @throws IOException naming the file that could not be read or decoded, or whose size differs
     */
    public static ImageFolder read(Path root, int size) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("ImageFolder: not a directory: " + root);
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IOException("ImageFolder: " + root + " has no class sub-folders");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            Path dir = classDirs.get(label);
            names.add(dir.getFileName().toString());
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList()) {
                    files.add(f);
                    labels.add(label);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException("ImageFolder: no PNG/JPEG/BMP/GIF files under " + root);
        }
        int h = -1;
        int w = -1;
        float[] pixels = null;
        BilinearResize resize = size > 0 ? new BilinearResize(size) : null;
        for (int i = 0; i < files.size(); i++) {
            Tensor img = decode(files.get(i));
            if (resize != null) {
                img = resize.apply(img);
            }
            if (pixels == null) {
                h = img.size(2);
                w = img.size(3);
                pixels = new float[Math.multiplyExact(files.size(), 3 * h * w)];
            } else if (img.size(2) != h || img.size(3) != w) {
                throw new IOException("ImageFolder: " + files.get(i) + " is " + img.size(3) + "x" + img.size(2) + " but "
                        + files.get(0) + " is " + w + "x" + h + "; pass a size to resize them all");
            }
            System.arraycopy(img.data(), img.offset(), pixels, i * 3 * h * w, 3 * h * w);
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageFolder(new Dataset(Tensor.wrap(pixels, 0, files.size(), 3, h, w), y), names, files);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    /** One image as {@code [1, 3, H, W]} in [0, 1]. */
    static Tensor decode(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("ImageFolder: cannot decode " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("ImageFolder: no javax.imageio decoder accepts " + file + " (corrupt or unsupported format)");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[3 * h * w];
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        var raster = img.getRaster();
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey && img.getColorModel().getComponentSize(0) == 8) {
                    // Read the sample itself: getRGB would pass grey through the sRGB/linear-grey conversion.
                    raster.getPixel(x, y, px);
                    float v = px[0] / 255f;
                    out[y * w + x] = v;
                    out[h * w + y * w + x] = v;
                    out[2 * h * w + y * w + x] = v;
                } else {
                    int rgb = img.getRGB(x, y);
                    out[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
                    out[h * w + y * w + x] = ((rgb >> 8) & 0xff) / 255f;
                    out[2 * h * w + y * w + x] = (rgb & 0xff) / 255f;
                }
            }
        }
        return Tensor.wrap(out, 0, 1, 3, h, w);
    }

    /**
     * The number of classes.
     *
     * @return the number of class folders
     */
    public int numClasses() {
        return classNames.size();
    }
}
