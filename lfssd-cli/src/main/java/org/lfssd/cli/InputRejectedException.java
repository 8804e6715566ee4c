package org.lfssd.cli;

/** An input the tool cannot use; the message names the file, key or value and what is wrong with it (exit 3). */
final class InputRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputRejectedException(String message) {
        super(message);
    }

    InputRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
