package dev.sit.plugins.loggers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws one curve (value over step) as a PNG line chart with axes, "nice" tick labels and a
 * title, using only java.awt off screen (headless) and javax.imageio.
 */
public final class LineChartPng {

    static {
        // never open a display: the chart is drawn into memory only
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private final int width;
    private final int height;

    public LineChartPng(int width, int height) {
        if (width < LEFT + RIGHT + 20 || height < TOP + BOTTOM + 20) {
            throw new IllegalArgumentException("chart too small: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    /** The PNG bytes of the chart; non-finite values are left out. */
    public byte[] render(String title, String xLabel, List<CurvePoint> points) {
        List<CurvePoint> finite = new ArrayList<>();
        for (CurvePoint p : points) {
            if (Double.isFinite(p.value())) {
                finite.add(p);
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            double xMin = finite.isEmpty() ? 0 : finite.get(0).step();
            double xMax = xMin;
            double yMin = Double.POSITIVE_INFINITY;
            double yMax = Double.NEGATIVE_INFINITY;
            for (CurvePoint p : finite) {
                xMin = Math.min(xMin, p.step());
                xMax = Math.max(xMax, p.step());
                yMin = Math.min(yMin, p.value());
                yMax = Math.max(yMax, p.value());
            }
            if (finite.isEmpty()) {
                yMin = 0;
                yMax = 1;
            }
            if (xMax == xMin) {
                xMax = xMin + 1;
            }
            if (yMax == yMin) {
                double pad = yMin == 0 ? 1 : Math.abs(yMin) * 0.1;
                yMin -= pad;
                yMax += pad;
            }
            double[] xTicks = ticks(xMin, xMax);
            double[] yTicks = ticks(yMin, yMax);
            yMin = Math.min(yMin, yTicks[0]);
            yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
            Frame frame = new Frame(xMin, xMax, yMin, yMax);

            g.setColor(new Color(0xe0e0e0));
            for (double t : yTicks) {
                int y = frame.y(t);
                g.drawLine(LEFT, y, width - RIGHT, y);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM);
            labels(g, title, xLabel, xTicks, yTicks, frame);

            g.setColor(new Color(0x1f77b4));
            g.setStroke(new BasicStroke(1.5f));
            if (finite.size() == 1) {
                g.fillOval(frame.x(finite.get(0).step()) - 3, frame.y(finite.get(0).value()) - 3, 6, 6);
            } else if (!finite.isEmpty()) {
                Path2D.Double path = new Path2D.Double();
                path.moveTo(frame.xd(finite.get(0).step()), frame.yd(finite.get(0).value()));
                for (int i = 1; i < finite.size(); i++) {
                    path.lineTo(frame.xd(finite.get(i).step()), frame.yd(finite.get(i).value()));
                }
                g.draw(path);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void labels(Graphics2D g, String title, String xLabel, double[] xTicks, double[] yTicks, Frame frame) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (double t : xTicks) {
                String s = label(t);
                int x = frame.x(t);
                g.drawLine(x, height - BOTTOM, x, height - BOTTOM + 4);
                g.drawString(s, x - fm.stringWidth(s) / 2, height - BOTTOM + 6 + fm.getAscent());
            }
            for (double t : yTicks) {
                String s = label(t);
                int y = frame.y(t);
                g.drawLine(LEFT - 4, y, LEFT, y);
                g.drawString(s, LEFT - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
            }
            g.drawString(xLabel, LEFT + (width - LEFT - RIGHT - fm.stringWidth(xLabel)) / 2, height - 10);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            fm = g.getFontMetrics();
            g.drawString(title, (width - fm.stringWidth(title)) / 2, TOP - 14);
        } catch (RuntimeException | Error e) {
            // some minimal JREs have no fonts at all; the curve is still worth having without text
        }
    }

    /** About five round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double spacing = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                spacing = m * magnitude;
                break;
            }
        }
        double first = Math.floor(lo / spacing) * spacing;
        double last = Math.ceil(hi / spacing) * spacing;
        int n = (int) Math.round((last - first) / spacing) + 1;
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            ticks[i] = first + i * spacing;
        }
        return ticks;
    }

    private static String label(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Maps data coordinates to pixels inside the plot area. */
    private final class Frame {
        final double xMin;
        final double xMax;
        final double yMin;
        final double yMax;

        Frame(double xMin, double xMax, double yMin, double yMax) {
            this.xMin = xMin;
            this.xMax = xMax;
            this.yMin = yMin;
            this.yMax = yMax;
        }

        double xd(double x) {
            return LEFT + (x - xMin) / (xMax - xMin) * (width - LEFT - RIGHT);
        }

        double yd(double y) {
            return height - BOTTOM - (y - yMin) / (yMax - yMin) * (height - TOP - BOTTOM);
        }

        int x(double x) {
            return (int) Math.round(xd(x));
        }

        int y(double y) {
            return (int) Math.round(yd(y));
        }
    }
}
