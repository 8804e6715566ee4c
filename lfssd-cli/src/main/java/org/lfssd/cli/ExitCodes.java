package org.lfssd.cli;

/**
 * What the exit status of {@code lfssd} means. Scripts can rely on these; they are listed in every
 * command's {@code --help}.
 */
final class ExitCodes {
    private ExitCodes() {}

    /** The command did what was asked. */
    static final int OK = 0;
    /** An unexpected internal error (a bug): the message and stack trace go to stderr. */
    static final int INTERNAL = 1;
    /** The command line was wrong: unknown option, missing argument, bad value. */
    static final int USAGE = 2;
    /** An input was rejected: a missing or unreadable file, a checkpoint that does not fit the model, images of
     *  the wrong size, an unknown data source, a preprocessing mismatch, an output that exists already. */
    static final int INPUT_REJECTED = 3;
    /** Dampening selected no parameter because α is above every ratio Ω_f/Ω_D; nothing was written. */
    static final int NOTHING_SELECTED = 4;
    /** {@code audit verify}: at least one file's SHA-256 differs from the record, or a file is missing. */
    static final int AUDIT_MISMATCH = 5;

    /** The text shown under "Exit codes" in every {@code --help}. */
    static final String[] HELP = {
        "0:Success.",
        "1:Internal error (a bug; please report it).",
        "2:Usage error (unknown option, bad value).",
        "3:Input rejected (missing file, checkpoint of another architecture, wrong image size,"
                + " unknown data source, preprocessing mismatch, output exists).",
        "4:Nothing selected: alpha is above every ratio Omega_f/Omega_D (try --adaptive-alpha).",
        "5:audit verify: a hashed file differs from the record or is missing.",
    };
}
