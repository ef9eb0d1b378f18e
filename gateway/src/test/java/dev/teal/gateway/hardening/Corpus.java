package dev.teal.gateway.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardening corpus ({@code corpus.tsv} next to this class): byte-exact requests and upstream responses, each
 * with what Teal answers. Shared by the gateway's tests and the bench's comparison with nginx and HAProxy.
 */
public final class Corpus {
    /** A request sent by a client, or a response sent by the backend to a plain GET. */
    public enum Kind { REQUEST, RESPONSE }

    /**
     * One entry.
     *
     * @param status    the status the client gets; 0 when it gets none
     * @param closed    whether the client connection is closed after the answer
     * @param forwarded for requests: whether the backend sees any byte of it
     */
    public record Entry(Kind kind, String name, int status, boolean closed, boolean forwarded, byte[] bytes) {
        public boolean refused() {
            return status >= 400;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Corpus() {
    }

    /** The gateway configuration the corpus expects: one service in front of {@code backend}, a 1 KiB body limit. */
    public static String gatewayYaml(String listen, String admin, String backend) {
        return """
                listen: %s
                admin: %s
                timeouts: {response: 2s}
                services:
                  shop:
                    active: blue
                    maxBodySize: 1KiB
                    colors:
                      blue: [%s]
                """.formatted(listen, admin, backend);
    }

    public static List<Entry> load() {
        try (InputStream in = Corpus.class.getResourceAsStream("corpus.tsv")) {
            if (in == null) {
                throw new IllegalStateException("corpus.tsv is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Entry> load(Kind kind) {
        return load().stream().filter(e -> e.kind() == kind).toList();
    }

    static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", 6);
            if (f.length != 6) {
                throw new IllegalArgumentException("corpus line needs 6 tab-separated fields: " + line);
            }
            Kind kind = switch (f[0]) {
                case "req" -> Kind.REQUEST;
                case "res" -> Kind.RESPONSE;
                default -> throw new IllegalArgumentException("kind must be req or res: " + line);
            };
            out.add(new Entry(kind, f[1], f[2].equals("-") ? 0 : Integer.parseInt(f[2]), f[3].equals("close"),
                    f[4].equals("fwd"), unescape(f[5])));
        }
        return out;
    }

    /** {@code \r \n \t \\ \xHH} escapes and {@code {N*text}} repetitions, to bytes. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                int star = s.indexOf('*', i);
                int close = s.indexOf('}', star);
                int n = Integer.parseInt(s.substring(i + 1, star));
                byte[] unit = unescape(s.substring(star + 1, close));
                for (int k = 0; k < n; k++) {
                    b.writeBytes(unit);
                }
                i = close;
            } else if (c == '\\') {
                char e = s.charAt(++i);
                switch (e) {
                    case 'r' -> b.write('\r');
                    case 'n' -> b.write('\n');
                    case 't' -> b.write('\t');
                    case '\\' -> b.write('\\');
                    case 'x' -> {
                        b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + s);
                }
            } else {
                b.write(c);
            }
        }
        return b.toByteArray();
    }
}
