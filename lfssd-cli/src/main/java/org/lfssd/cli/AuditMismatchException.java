package org.lfssd.cli;

/** {@code audit verify} found a file whose hash differs from the record, or a missing file (exit 5). */
final class AuditMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AuditMismatchException(String message) {
        super(message);
    }
}
