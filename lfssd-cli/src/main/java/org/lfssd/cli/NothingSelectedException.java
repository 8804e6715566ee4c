package org.lfssd.cli;

/** Dampening selected nothing because α is out of reach (exit 4); the message says why and what to try. */
final class NothingSelectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NothingSelectedException(String message) {
        super(message);
    }
}
