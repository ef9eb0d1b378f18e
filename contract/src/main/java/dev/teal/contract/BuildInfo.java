package dev.teal.contract;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built: the project version and the git revision, written into {@code teal-build.properties} by Maven
 * resource filtering (the revision is {@code unknown} when the build had no git history), and the Java runtime.
 * Shown by {@code --version}, {@code GET /version} and the {@code teal_build_info} gauge of both jars.
 */
public record BuildInfo(String version, String revision, String java) {
    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/teal-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is the same as none: every field says unknown
        }
        return new BuildInfo(value(p, "version"), value(p, "revision"), System.getProperty("java.version"));
    }

    /** An unfiltered placeholder ({@code ${...}}, e.g. from an IDE build) or a missing value is {@code unknown}. */
    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() || v.contains("${") ? "unknown" : v;
    }

    /** One line, like {@code teal-gateway 0.1.0 (revision 83f1b18fd6bd, java 17.0.12)}. */
    public String line(String program) {
        return program + " " + version + " (revision " + revision + ", java " + java + ")";
    }
}
