package dev.teal.bench.report;

import dev.teal.bench.scenario.CompareResult;
import dev.teal.bench.scenario.ConnectionsResult;
import dev.teal.bench.scenario.CutoverResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the results (XChart). Each method writes one file into the report directory and returns its name. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Map<String, Color> TARGET_COLORS = Map.of(
            "direct", new Color(0x88, 0x88, 0x88),
            "teal", new Color(0x00, 0x80, 0x80),
            "nginx", new Color(0x26, 0x8b, 0x3d),
            "haproxy", new Color(0x1f, 0x5f, 0xbf));
    private static final Map<String, Color> SERVING_COLORS = Map.of(
            "blue", new Color(0x1f, 0x6f, 0xd0),
            "green", new Color(0x2c, 0xa0, 0x2c));

    private Charts() {}

    /** Median requests/s per cell and target. */
    public static String compareThroughput(CompareResult r, Path dir) throws IOException {
        CategoryChart chart = categoryChart("compare: requests/s (median of " + r.rounds() + " rounds, higher is better)",
                "req/s");
        addCompareSeries(chart, r, row -> row.rps());
        return save(chart, dir, "compare-rps");
    }

    /** Median p99 per cell and target. */
    public static String compareP99(CompareResult r, Path dir) throws IOException {
        CategoryChart chart = categoryChart("compare: p99 latency (median of " + r.rounds() + " rounds, lower is better)",
                "ms");
        addCompareSeries(chart, r, row -> row.p99Us() / 1000.0);
        return save(chart, dir, "compare-p99");
    }

    private static CategoryChart categoryChart(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420).title(title)
                .xAxisTitle("body / connections").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.8);
        return chart;
    }

    private static void addCompareSeries(CategoryChart chart, CompareResult r,
            java.util.function.ToDoubleFunction<CompareResult.Row> value) {
        Set<String> cells = new LinkedHashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        for (CompareResult.Row row : r.rows()) {
            cells.add(row.body() + " / " + row.connections());
            targets.add(row.target());
        }
        for (String target : targets) {
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (String cell : cells) {
                for (CompareResult.Row row : r.rows()) {
                    if (row.target().equals(target) && cell.equals(row.body() + " / " + row.connections())) {
                        xs.add(cell);
                        ys.add(value.applyAsDouble(row));
                    }
                }
            }
            var s = chart.addSeries(target, xs, ys);
            if (TARGET_COLORS.containsKey(target)) {
                s.setFillColor(TARGET_COLORS.get(target));
            }
        }
    }

    /** Answers per second by color (left axis) and p99 per second (right axis) for one target of {@code cutover}. */
    public static String cutover(CutoverResult r, CutoverResult.TargetRun t, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(380)
                .title(String.format(java.util.Locale.ROOT, "cutover through %s: %d req/s, switch every %.1f s "
                        + "(%d failed, %d old-color answers after a switch answer)", t.target(), r.rate(),
                        r.intervalSeconds(), t.errors(), t.oldAfterSwitch()))
                .xAxisTitle("second (by intended send time)").yAxisTitle("answers per second").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "p99 ms");
        List<Double> xs = new ArrayList<>();
        Set<String> colors = new LinkedHashSet<>();
        for (CutoverResult.Second s : t.seconds()) {
            xs.add((double) s.second());
            colors.addAll(s.byColor().keySet());
        }
        for (String color : colors) {
            List<Double> ys = t.seconds().stream().map(s -> (double) s.byColor().getOrDefault(color, 0L)).toList();
            XYSeries series = chart.addSeries(color, xs, ys);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
            series.setMarker(SeriesMarkers.NONE);
            Color c = SERVING_COLORS.getOrDefault(color, Color.GRAY);
            series.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
            series.setLineColor(c);
        }
        XYSeries errors = chart.addSeries("failed", xs, t.seconds().stream().map(s -> (double) s.errors()).toList());
        errors.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        errors.setMarker(SeriesMarkers.NONE);
        errors.setLineColor(Color.RED);
        XYSeries p99 = chart.addSeries("p99 (right axis)", xs, t.seconds().stream().map(s -> s.p99Us() / 1000.0).toList());
        p99.setYAxisGroup(1);
        p99.setMarker(SeriesMarkers.NONE);
        p99.setLineColor(Color.BLACK);
        p99.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return save(chart, dir, "cutover-" + t.target());
    }

    /** p99 per second of every target of {@code cutover}, on one axis. */
    public static String cutoverP99(CutoverResult r, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(360)
                .title("cutover: p99 latency per second (from intended send time; switch every "
                        + r.intervalSeconds() + " s)")
                .xAxisTitle("second").yAxisTitle("p99 ms").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisLogarithmic(true);
        for (CutoverResult.TargetRun t : r.targets()) {
            List<Double> xs = t.seconds().stream().map(s -> (double) s.second()).toList();
            List<Double> ys = t.seconds().stream().map(s -> Math.max(0.01, s.p99Us() / 1000.0)).toList();
            XYSeries s = chart.addSeries(t.target(), xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            if (TARGET_COLORS.containsKey(t.target())) {
                s.setLineColor(TARGET_COLORS.get(t.target()));
            }
        }
        return save(chart, dir, "cutover-p99");
    }

    /** Gateway RSS and heap against the number of idle connections. */
    public static String connections(ConnectionsResult r, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(360)
                .title("connections: gateway memory with idle keep-alive client connections")
                .xAxisTitle("idle connections").yAxisTitle("MiB").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<Double> xs = r.steps().stream().map(s -> (double) s.connections()).toList();
        chart.addSeries("RSS", xs, r.steps().stream().map(ConnectionsResult.Step::rssMiB).toList());
        if (r.steps().stream().allMatch(s -> s.heapMiB() >= 0)) {
            chart.addSeries("heap used", xs, r.steps().stream().map(ConnectionsResult.Step::heapMiB).toList());
        }
        XYSeries goal = chart.addSeries("goal: " + (int) r.goalRssMiB() + " MiB RSS",
                List.of(xs.get(0), xs.get(xs.size() - 1)), List.of(r.goalRssMiB(), r.goalRssMiB()));
        goal.setMarker(SeriesMarkers.NONE);
        goal.setLineColor(Color.RED);
        return save(chart, dir, "connections");
    }

    private static String save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name + ".png";
    }
}
