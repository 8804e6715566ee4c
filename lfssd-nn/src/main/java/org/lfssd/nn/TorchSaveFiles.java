package org.lfssd.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises files written by PyTorch's {@code torch.save} (a zip archive since PyTorch 1.6, a bare pickle
 * before), which this library does not read: unpickling can run arbitrary code, and safetensors is the
 * safe format. The error shows how to convert such a file.
 */
final class TorchSaveFiles {
    private TorchSaveFiles() {}

    /** The conversion, two lines of Python (needs the {@code safetensors} package: pip install safetensors). */
    static final String EXPORT = "    import torch; from safetensors.torch import save_file\n"
            + "    save_file({k: v.contiguous() for k, v in torch.load(\"model.pt\", map_location=\"cpu\").items()},"
            + " \"model.safetensors\")";

    /**
     * Throws if {@code file} starts like a {@code torch.save} file; returns quietly otherwise (including
     * for files too short to tell and for paths that are not regular files, which the safetensors reader then
     * rejects with its own message).
     *
     * @param file the checkpoint about to be read
     * @throws IOException naming the format and showing the export to safetensors
     */
    static void rejectIfTorchSave(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return; // a directory, a missing file, ...: the safetensors reader names the problem
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String kind = null;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            kind = "a zip archive, as torch.save writes since PyTorch 1.6";
        } else if (n >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            kind = "a Python pickle (protocol " + head[1] + "), as torch.save wrote before PyTorch 1.6";
        }
        if (kind != null) {
            throw new IOException(file + " is a PyTorch torch.save file (" + kind + "), not safetensors. This library"
                    + " reads safetensors only (unpickling can run code). Export the state dict in Python:\n" + EXPORT
                    + "\n(If the file holds a whole model or a training checkpoint, save model.state_dict() or"
                    + " checkpoint[\"state_dict\"] instead.)");
        }
    }
}
