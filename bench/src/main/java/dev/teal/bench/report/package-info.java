/**
 * Results on disk and their rendering. {@link dev.teal.bench.report.Results} writes and reads each scenario's JSON
 * ({@code <scenario>.json} in the output directory); {@link dev.teal.bench.report.Tables} formats the Markdown tables
 * (stdout, README); {@link dev.teal.bench.report.Charts} draws the PNGs with XChart; {@link
 * dev.teal.bench.report.HtmlReport} puts them together into {@code report.html}, from the JSON alone, so that
 * {@code teal-bench report DIR} can regenerate it.
 */
package dev.teal.bench.report;
