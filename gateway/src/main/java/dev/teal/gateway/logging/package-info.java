/**
 * How log lines look: {@link dev.teal.gateway.logging.LogLineLayout} writes every event as one physical line, as
 * logfmt ({@code key="value"}) or JSON, chosen by {@code TEAL_LOG_FORMAT} (environment variable or system property).
 * Values are escaped (no raw newline ever splits an event) and durations are written the way the config file writes
 * them ({@code 10s}). Configured from {@code logback.xml}.
 */
package dev.teal.gateway.logging;
