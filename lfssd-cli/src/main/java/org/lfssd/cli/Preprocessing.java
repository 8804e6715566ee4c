package org.lfssd.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.data.BilinearResize;
import org.lfssd.data.Dataset;
import org.lfssd.data.Normalization;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * How raw images in [0, 1] become model input, applied in this order:
 * <ol>
 *   <li>channels: grey (1 channel) replicated to {@code channels = 3}, or three equal channels (a grey image
 *       decoded as RGB) reduced to one;</li>
 *   <li>zero padding by {@code pad} pixels on every side (black, before normalisation, like torchvision's
 *       {@code Pad} on the image);</li>
 *   <li>per-channel {@code (x - mean) / std};</li>
 *   <li>bilinear resize to {@code resize × resize} when {@code resize > 0} (after normalisation, as the papers'
 *       code does for the ViT).</li>
 * </ol>
 * A checkpoint and its Ω_D are only meaningful for input prepared the same way, so this is recorded (as
 * {@link #canonical()}) in checkpoints the tool writes, in Importance metadata and in audit records, and a
 * mismatch is refused.
 *
 * @param channels the model's input channels
 * @param pad      zero padding in pixels on each side
 * @param resize   the output side after resizing, 0 for none
 * @param mean     per-channel mean, {@code channels} values
 * @param std      per-channel standard deviation, {@code channels} values
 */
record Preprocessing(int channels, int pad, int resize, float[] mean, float[] std) {

    Preprocessing {
        if (channels != 1 && channels != 3) {
            throw new InputRejectedException("preprocessing: channels must be 1 or 3, got " + channels);
        }
        if (pad < 0 || resize < 0) {
            throw new InputRejectedException("preprocessing: pad and resize must be >= 0, got pad " + pad + ", resize " + resize);
        }
        mean = broadcast(mean, channels, "mean");
        std = broadcast(std, channels, "std");
        for (float s : std) {
            if (!(s > 0)) {
                throw new InputRejectedException("preprocessing: std must be > 0, got " + Arrays.toString(std));
            }
        }
    }

    private static float[] broadcast(float[] v, int channels, String what) {
        if (v.length == channels) {
            return v.clone();
        }
        if (v.length == 1) {
            float[] out = new float[channels];
            Arrays.fill(out, v[0]);
            return out;
        }
        throw new InputRejectedException("preprocessing: " + v.length + " " + what + " values for " + channels
                + " channels (give one value, or one per channel)");
    }

    /** The same with some settings replaced (null or negative keeps the current one). */
    Preprocessing with(Integer newChannels, Integer newPad, Integer newResize, float[] newMean, float[] newStd) {
        int c = newChannels != null ? newChannels : channels;
        float[] m = newMean != null ? newMean : (c == channels ? mean : new float[] {mean[0]});
        float[] s = newStd != null ? newStd : (c == channels ? std : new float[] {std[0]});
        return new Preprocessing(c, newPad != null ? newPad : pad, newResize != null ? newResize : resize, m, s);
    }

    /** The canonical JSON form, compared as a string: fixed key order, float values as Java prints them. */
    String canonical() {
        return "{\"channels\":" + channels + ",\"pad\":" + pad + ",\"resize\":" + resize + ",\"mean\":" + list(mean)
                + ",\"std\":" + list(std) + ",\"order\":\"channels,pad,normalize,resize\"}";
    }

    /** The settings as a JSON-ready map (for audit records and {@code --json}). */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", channels);
        m.put("pad", pad);
        m.put("resize", resize);
        m.put("mean", mean.clone());
        m.put("std", std.clone());
        m.put("order", "channels,pad,normalize,resize");
        return m;
    }

    private static String list(float[] v) {
        List<String> s = new ArrayList<>();
        for (float f : v) {
            s.add(Float.toString(f));
        }
        return "[" + String.join(",", s) + "]";
    }

    @Override
    public String toString() {
        return "channels " + channels + ", pad " + pad + (resize > 0 ? ", resize " + resize : "") + ", mean "
                + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && canonical().equals(p.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    /** Applies the steps to raw images {@code [N, C, H, W]} in [0, 1]; {@code what} names them in errors. */
    Dataset apply(Dataset raw, String what) {
        Tensor x = adaptChannels(raw.images(), what);
        if (pad > 0) {
            x = pad(x);
        }
        x = new Normalization(mean, std).apply(x);
        if (resize > 0) {
            x = new BilinearResize(resize).apply(x);
        }
        return new Dataset(x, raw.labels());
    }

    private Tensor adaptChannels(Tensor x, String what) {
        int[] s = x.shape();
        if (s.length != 4) {
            throw new InputRejectedException(what + ": images must be [N, C, H, W], got " + Shapes.str(s));
        }
        if (s[1] == channels) {
            return x;
        }
        int plane = s[2] * s[3];
        float[] in = x.toArray();
        if (s[1] == 1 && channels == 3) {
            float[] out = new float[s[0] * 3 * plane];
            for (int n = 0; n < s[0]; n++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(in, n * plane, out, (n * 3 + c) * plane, plane);
                }
            }
            return Tensor.wrap(out, 0, s[0], 3, s[2], s[3]);
        }
        if (s[1] == 3 && channels == 1) {
            float[] out = new float[s[0] * plane];
            for (int n = 0; n < s[0]; n++) {
                int base = n * 3 * plane;
                for (int i = 0; i < plane; i++) {
                    float r = in[base + i];
                    if (r != in[base + plane + i] || r != in[base + 2 * plane + i]) {
                        throw new InputRejectedException(what + ": image " + n + " is in colour but the preprocessing"
                                + " has 1 channel (grey); convert the images to grey or use a 3-channel model");
                    }
                    out[n * plane + i] = r;
                }
            }
            return Tensor.wrap(out, 0, s[0], 1, s[2], s[3]);
        }
        throw new InputRejectedException(what + ": images have " + s[1] + " channels, the preprocessing " + channels);
    }

    private Tensor pad(Tensor x) {
        int[] s = x.shape();
        int h = s[2] + 2 * pad;
        int w = s[3] + 2 * pad;
        float[] in = x.toArray();
        float[] out = new float[s[0] * s[1] * h * w];
        for (int p = 0; p < s[0] * s[1]; p++) {
            for (int y = 0; y < s[2]; y++) {
                System.arraycopy(in, (p * s[2] + y) * s[3], out, (p * h + y + pad) * w + pad, s[3]);
            }
        }
        return Tensor.wrap(out, 0, s[0], s[1], h, w);
    }
}
