package dev.teal.contract;

/** A configuration value that cannot be accepted; the message names the path and the reason. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
