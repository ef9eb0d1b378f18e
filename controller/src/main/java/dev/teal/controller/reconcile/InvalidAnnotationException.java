package dev.teal.controller.reconcile;

/** A {@code teal.dev/*} annotation (or the front Service around it) that cannot be accepted; the message says why. */
public final class InvalidAnnotationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidAnnotationException(String message) {
        super(message, null, false, false);
    }
}
