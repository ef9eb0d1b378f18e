package dev.teal.controller.cluster;

/** A write was refused with {@code 409 Conflict}: the object changed since it was read. Re-read and try again. */
public final class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message, null, false, false);
    }
}
