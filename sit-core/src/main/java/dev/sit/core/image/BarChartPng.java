package dev.sit.core.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A horizontal bar chart as a PNG (one bar per labelled value, the value printed at its end, the
 * highlighted bar in another colour), drawn off screen with java.awt and javax.imageio. Bars start at
 * 0 so that their lengths compare honestly (lengths are |value|); a non-finite value gets "n/a".
 */
public final class BarChartPng {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** One bar. */
    public record Bar(String label, double value, boolean highlighted) {
    }

    private static final int ROW = 28;
    private static final int TOP = 44;
    private static final int BOTTOM = 20;
    private static final int RIGHT = 90;

    private final int width;

    public BarChartPng(int width) {
        if (width < 300) {
            throw new IllegalArgumentException("chart too narrow: " + width);
        }
        this.width = width;
    }

    /** The PNG bytes of the chart. */
    public byte[] render(String title, List<Bar> bars) {
        int height = TOP + BOTTOM + ROW * Math.max(1, bars.size());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 12, 26);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics metrics = g.getFontMetrics();
            int left = 12;
            for (Bar b : bars) {
                left = Math.max(left, metrics.stringWidth(b.label()) + 20);
            }
            left = Math.min(left, width / 2);
            double max = 0;
            for (Bar b : bars) {
                if (Double.isFinite(b.value())) {
                    max = Math.max(max, Math.abs(b.value()));
                }
            }
            int span = width - left - RIGHT;
            for (int i = 0; i < bars.size(); i++) {
                Bar b = bars.get(i);
                int y = TOP + i * ROW;
                g.setColor(Color.BLACK);
                g.drawString(b.label(), 10, y + ROW / 2 + metrics.getAscent() / 2 - 2);
                if (!Double.isFinite(b.value())) {
                    g.drawString("n/a", left + 4, y + ROW / 2 + metrics.getAscent() / 2 - 2);
                    continue;
                }
                int length = max == 0 ? 0 : (int) Math.round(span * Math.abs(b.value()) / max);
                g.setColor(b.highlighted() ? new Color(0xD9, 0x5F, 0x02) : new Color(0x1B, 0x9E, 0x77));
                g.fillRect(left, y + 4, Math.max(1, length), ROW - 8);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.4g", b.value()), left + length + 6,
                        y + ROW / 2 + metrics.getAscent() / 2 - 2);
            }
            g.setColor(Color.GRAY);
            g.drawLine(left, TOP, left, TOP + ROW * bars.size());
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
}
