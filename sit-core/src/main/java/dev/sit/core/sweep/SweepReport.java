package dev.sit.core.sweep;

import dev.sit.core.image.BarChartPng;
import dev.sit.core.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sweep's comparison: {@code sweep.csv} (one row per variant: label, swept values, metric,
 * final loss, steps, seconds, run folder), {@code sweep.md} (the same as a Markdown table, best
 * variant in bold) and {@code sweep.png} (a bar of the metric per variant, the best highlighted).
 */
public final class SweepReport {

    private final SweepDefinition sweep;
    private final List<SweepRunResult> results;

    public SweepReport(SweepDefinition sweep, List<SweepRunResult> results) {
        this.sweep = sweep;
        this.results = List.copyOf(results);
    }

    /** The label of the best finished variant by the metric and goal, or null if none has the metric. */
    public String best() {
        SweepRunResult best = null;
        for (SweepRunResult r : results) {
            if (Double.isFinite(r.metric()) && (best == null
                    || (sweep.maximize() ? r.metric() > best.metric() : r.metric() < best.metric()))) {
                best = r;
            }
        }
        return best == null ? null : best.label();
    }

    /** Writes the three files into the sweep folder; returns their paths (csv, md, png). */
    public List<Path> write() throws IOException {
        Path folder = sweep.folder();
        Path csv = folder.resolve("sweep.csv");
        Path md = folder.resolve("sweep.md");
        Path png = folder.resolve("sweep.png");
        AtomicFile.write(csv, csv().getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(md, markdown().getBytes(StandardCharsets.UTF_8));
        String best = best();
        List<BarChartPng.Bar> bars = new ArrayList<>();
        for (SweepRunResult r : results) {
            bars.add(new BarChartPng.Bar(r.label(), r.metric(), r.label().equals(best)));
        }
        String title = sweep.name() + ": " + sweep.metric() + " (" + (sweep.maximize() ? "higher" : "lower")
                + " is better)";
        AtomicFile.write(png, new BarChartPng(760).render(title, bars));
        return List.of(csv, md, png);
    }

    private List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("variant");
        h.addAll(sweep.sweptKeys());
        h.add(sweep.metric());
        if (!sweep.metric().equals("final_loss")) {
            h.add("final_loss");
        }
        h.add("steps");
        h.add("seconds");
        h.add("run_folder");
        return h;
    }

    private List<String> row(SweepRunResult r) {
        List<String> row = new ArrayList<>();
        row.add(r.label());
        for (String key : sweep.sweptKeys()) {
            row.add(r.values().getOrDefault(key, ""));
        }
        row.add(number(r.metric()));
        if (!sweep.metric().equals("final_loss")) {
            row.add(number(r.scalars().getOrDefault("final_loss", Double.NaN)));
        }
        row.add(number(r.scalars().getOrDefault("steps", Double.NaN)));
        row.add(number(r.scalars().getOrDefault("seconds", Double.NaN)));
        row.add(r.runFolder());
        return row;
    }

    /** The CSV text (RFC 4180 quoting where needed). */
    public String csv() {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", header().stream().map(SweepReport::csvField).toList())).append('\n');
        for (SweepRunResult r : results) {
            b.append(String.join(",", row(r).stream().map(SweepReport::csvField).toList())).append('\n');
        }
        return b.toString();
    }

    /** The Markdown table (the best variant's row in bold). */
    public String markdown() {
        String best = best();
        StringBuilder b = new StringBuilder();
        List<String> header = header();
        b.append("| ").append(String.join(" | ", header)).append(" |\n");
        b.append("|").append("---|".repeat(header.size())).append('\n');
        for (SweepRunResult r : results) {
            List<String> row = row(r).stream().map(s -> s.replace("|", "\\|")).toList();
            if (r.label().equals(best)) {
                row = row.stream().map(s -> s.isEmpty() ? s : "**" + s + "**").toList();
            }
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return b.toString();
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
