package dev.teal.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.LayoutBase;
import dev.teal.contract.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.slf4j.event.KeyValuePair;

/**
 * One event, one physical line. {@code logfmt} (the default):
 * {@code ts=2026-01-01T00:00:00.000Z level=INFO logger=Gateway msg="gateway started" listen="0.0.0.0:8080"}; {@code json}:
 * {@code {"ts":"...","level":"INFO","logger":"Gateway","msg":"gateway started","listen":"0.0.0.0:8080"}}. In both,
 * newlines, carriage returns, tabs, quotes and backslashes inside values are escaped, a {@link Duration} is written
 * like the config file ({@code 10s}), and an exception is reduced to its first three stack lines joined by
 * {@code " | "}.
 */
public final class LogLineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);
    private static final int STACK_LINES = 3;

    private boolean json;

    /** {@code logfmt} or {@code json} (case-insensitive); anything else is logfmt, with a warning at start. */
    public void setFormat(String format) {
        String f = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
        json = f.equals("json");
        if (!json && !f.equals("logfmt") && !f.isEmpty()) {
            addWarn("TEAL_LOG_FORMAT='" + format + "' is neither logfmt nor json; writing logfmt");
        }
    }

    public boolean isJson() {
        return json;
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(160);
        String ts = TS.format(Instant.ofEpochMilli(e.getTimeStamp()));
        String logger = shortName(e.getLoggerName());
        if (json) {
            b.append("{\"ts\":\"").append(ts).append("\",\"level\":\"").append(e.getLevel())
                    .append("\",\"logger\":");
            jsonString(b, logger);
            b.append(",\"msg\":");
            jsonString(b, e.getFormattedMessage());
        } else {
            b.append("ts=").append(ts).append(" level=").append(e.getLevel()).append(" logger=").append(logger)
                    .append(" msg=");
            quoted(b, e.getFormattedMessage());
        }
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                if (json) {
                    b.append(',');
                    jsonString(b, kv.key);
                    b.append(':');
                    jsonValue(b, kv.value);
                } else {
                    b.append(' ').append(kv.key).append('=');
                    quoted(b, text(kv.value));
                }
            }
        }
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            String ex = exception(t);
            if (json) {
                b.append(",\"exception\":");
                jsonString(b, ex);
            } else {
                b.append(" exception=");
                quoted(b, ex);
            }
        }
        return b.append(json ? "}\n" : "\n").toString();
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    /** The value as text: a duration the way the config writes it; null as {@code null}. */
    static String text(Object v) {
        if (v instanceof Duration d) {
            return Units.format(d);
        }
        return String.valueOf(v);
    }

    private static String exception(IThrowableProxy t) {
        StringBuilder s = new StringBuilder(t.getClassName());
        if (t.getMessage() != null) {
            s.append(": ").append(t.getMessage());
        }
        StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
        for (int i = 0; frames != null && i < Math.min(STACK_LINES, frames.length); i++) {
            s.append(" | ").append(frames[i].getSTEAsString());
        }
        return s.toString();
    }

    /** {@code "value"}, with quotes, backslashes and control characters escaped so the line stays one line. */
    static void quoted(StringBuilder b, String s) {
        b.append('"');
        escape(b, s);
        b.append('"');
    }

    private static void jsonString(StringBuilder b, String s) {
        quoted(b, s);
    }

    private static void jsonValue(StringBuilder b, Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v == null) {
            b.append("null");
        } else {
            jsonString(b, text(v));
        }
    }

    private static void escape(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
