package org.lfssd.cli;

import picocli.CommandLine.Option;

/** Overrides of a data source's default preprocessing; see {@link Preprocessing} for the order of the steps. */
final class PreprocessingOptions {
    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Per-channel mean (one value, or one per channel).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel standard deviation.")
    float[] std;

    @Option(names = "--pad", paramLabel = "PIXELS", description = "Zero padding on every side, before normalisation.")
    Integer pad;

    @Option(names = "--resize", paramLabel = "SIDE", description = "Bilinear resize to SIDE x SIDE after normalisation (0: none).")
    Integer resize;

    @Option(names = "--grey-to-rgb", description = "Replicate grey images to 3 channels (same as --channels 3).")
    boolean greyToRgb;

    @Option(names = "--channels", paramLabel = "C", description = "The model's input channels, 1 or 3.")
    Integer channels;

    /** The data source's default with these overrides. */
    Preprocessing applyTo(Preprocessing defaults) {
        Integer c = channels;
        if (greyToRgb) {
            if (c != null && c != 3) {
                throw new InputRejectedException("--grey-to-rgb contradicts --channels " + c);
            }
            c = 3;
        }
        return defaults.with(c, pad, resize, mean, std);
    }
}
