package dev.teal.bench.report;

import dev.teal.bench.scenario.CompareResult;
import dev.teal.bench.scenario.ConnectionsResult;
import dev.teal.bench.scenario.CutoverResult;
import dev.teal.bench.scenario.DrainResult;
import dev.teal.bench.scenario.ScaleResult;
import dev.teal.bench.scenario.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code report.html} from the JSON results of a directory, with the charts beside it. */
public final class HtmlReport {
    private HtmlReport() {}

    /** (Re)writes the charts and {@code report.html} in {@code dir}; returns the HTML file. */
    public static Path write(Path dir) throws IOException {
        StringBuilder body = new StringBuilder();
        RunInfo info = null;
        CompareResult compare = Results.read(dir, "compare", CompareResult.class);
        if (compare != null) {
            info = compare.info();
            body.append("<h2>compare</h2>\n<p>wrk, one thread; ").append(compare.rounds()).append(" rounds of ")
                    .append(compare.durationSeconds()).append(" s per target and cell, order rotated each round; warm-up ")
                    .append(compare.warmupSeconds()).append(" s per target. nginx upstream keepalive ")
                    .append(compare.nginxKeepalive()).append(". Latency is wrk's (closed loop).</p>\n")
                    .append(table(Tables.compareRows(compare)))
                    .append(img(Charts.compareThroughput(compare, dir))).append(img(Charts.compareP99(compare, dir)));
            if (compare.profiles() != null) {
                body.append("<h3>per request (compare --profile)</h3>\n<p>Extra wrk runs, one under JFR and one under "
                        + "strace -c; for JVM targets the syscalls of the event loop threads only.</p>\n");
                for (String m : compare.profileUnavailable()) {
                    body.append("<p>note: ").append(escape(m)).append("</p>\n");
                }
                body.append(table(Tables.profiles(compare)));
            }
        }
        CutoverResult cutover = Results.read(dir, "cutover", CutoverResult.class);
        if (cutover != null) {
            info = info == null ? cutover.info() : info;
            String[] parts = Tables.cutover(cutover).split("\n\n", 2);
            body.append("<h2>cutover</h2>\n<p>Open loop: ").append(escape(parts[0]))
                    .append(". Latency from the intended send time. Mixed window: from the switch command to the last "
                            + "old-color answer to a request sent after the command. Switch second: requests intended "
                            + "within 1 s after a switch command.</p>\n")
                    .append(table(parts[1]));
            for (CutoverResult.TargetRun t : cutover.targets()) {
                body.append(img(Charts.cutover(cutover, t, dir)));
            }
            if (!cutover.targets().isEmpty()) {
                body.append(img(Charts.cutoverP99(cutover, dir)));
            }
        }
        DrainResult drain = Results.read(dir, "drain", DrainResult.class);
        if (drain != null) {
            info = info == null ? drain.info() : info;
            body.append("<h2>drain</h2>\n").append(table(Tables.drain(drain)));
        }
        ConnectionsResult connections = Results.read(dir, "connections", ConnectionsResult.class);
        if (connections != null) {
            info = info == null ? connections.info() : info;
            body.append("<h2>connections</h2>\n").append(table(Tables.connections(connections)))
                    .append(img(Charts.connections(connections, dir)));
        }
        ScaleResult scale = Results.read(dir, "scale", ScaleResult.class);
        if (scale != null) {
            info = info == null ? scale.info() : info;
            body.append("<h2>scale</h2>\n<p>One gateway in cluster mode against the fabric8 mock API server: N front "
                    + "Services, Ingresses and EndpointSlices. A slice change is a PUT, timed to the first request the "
                    + "new endpoint answers.</p>\n").append(table(Tables.scale(scale)));
        }
        dev.teal.bench.scenario.GuardResult guard = Results.read(dir, "guard", dev.teal.bench.scenario.GuardResult.class);
        if (guard != null) {
            info = info == null ? guard.info() : info;
            String[] parts = Tables.guard(guard).split("\n\n", 2);
            body.append("<h2>guard</h2>\n<p>").append(escape(parts[0])).append("</p>\n").append(table(parts[1]));
        }
        dev.teal.bench.scenario.TlsResult tls = Results.read(dir, "tls", dev.teal.bench.scenario.TlsResult.class);
        if (tls != null) {
            info = info == null ? tls.info() : info;
            String[] parts = Tables.tls(tls).split("\n\n", 2);
            body.append("<h2>tls</h2>\n<p>").append(escape(parts[0])).append("</p>\n").append(table(parts[1]));
        }
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Teal bench report</title>
                <style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}
                table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:3px 8px}
                td{text-align:right}td:first-child{text-align:left}img{max-width:100%;display:block;margin:1em 0}</style>
                </head><body><h1>Teal bench report</h1>
                """);
        if (info != null) {
            html.append("<p>").append(escape(info.startedAt())).append(" · ").append(info.cores()).append(" cores (")
                    .append(escape(info.cpuModel())).append(") · ").append(escape(info.java())).append(" · ")
                    .append(escape(info.pinning())).append(" · gateway JVM flags <code>")
                    .append(escape(String.join(" ", info.gatewayJvmFlags()))).append("</code>")
                    .append(info.quick() ? " · <b>quick mode</b>" : "").append("</p>\n");
        }
        html.append(body).append("</body></html>\n");
        Path file = dir.resolve("report.html");
        Files.writeString(file, html);
        return file;
    }

    private static String img(String file) {
        return "<img src=\"" + file + "\" alt=\"" + file + "\">\n";
    }

    /** A Markdown table from {@link Tables} as HTML. */
    static String table(String markdown) {
        StringBuilder b = new StringBuilder("<table>\n");
        boolean header = true;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            if (line.matches("\\|[-:|]+\\|?")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|", -1);
            b.append("<tr>");
            for (String c : cells) {
                b.append(header ? "<th>" : "<td>").append(escape(c.strip())).append(header ? "</th>" : "</td>");
            }
            b.append("</tr>\n");
            header = false;
        }
        return b.append("</table>\n").toString();
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
