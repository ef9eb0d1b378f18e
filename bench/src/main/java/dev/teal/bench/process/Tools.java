package dev.teal.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the external programs the scenarios drive. */
public final class Tools {
    public static final String INSTALL_HINT = "apt-get install nginx haproxy wrk";
    private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin");

    private Tools() {}

    /** The absolute path of {@code program}; fails with the install hint when it is not installed. */
    public static String require(String program) {
        String found = find(program);
        if (found == null) {
            throw new MissingToolException(program + " is not installed; the bench needs nginx, HAProxy and wrk: "
                    + INSTALL_HINT);
        }
        return found;
    }

    /** As {@link #require(String)} for a program only some scenarios need, with its own install hint. */
    public static String require(String program, String installHint) {
        String found = find(program);
        if (found == null) {
            throw new MissingToolException(program + " is not installed: " + installHint);
        }
        return found;
    }

    public static boolean available(String program) {
        return find(program) != null;
    }

    private static String find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":" + String.join(":", DIRS)).split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** A required program is missing: the message says how to install it. */
    public static final class MissingToolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingToolException(String message) {
            super(message);
        }
    }
}
