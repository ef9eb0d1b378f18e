package dev.teal.bench.backend;

/** Response body sizes of {@code compare}, each served by {@link StaticBackend} at its own path. */
public enum Body {
    TINY("tiny", "/tiny", 2),
    KIB_1("1KiB", "/1k", 1024),
    KIB_16("16KiB", "/16k", 16 * 1024);

    private final String label;
    private final String path;
    private final int bytes;

    Body(String label, String path, int bytes) {
        this.label = label;
        this.path = path;
        this.bytes = bytes;
    }

    public String label() {
        return label;
    }

    public String path() {
        return path;
    }

    public int bytes() {
        return bytes;
    }

    public static Body parse(String s) {
        for (Body b : values()) {
            if (b.label.equalsIgnoreCase(s) || b.name().equalsIgnoreCase(s) || b.path.equals("/" + s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown body " + s + " (tiny, 1KiB, 16KiB)");
    }
}
