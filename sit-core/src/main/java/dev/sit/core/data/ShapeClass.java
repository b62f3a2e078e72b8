package dev.sit.core.data;

import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The ten classes of the {@code shapes} dataset: each a distinct shape in a distinct colour,
 * so a class is recognisable by either. Outlines are centred on the origin with a radius of
 * about 1; the dataset scales, rotates and places them.
 */
public enum ShapeClass {
    RED_CIRCLE(225, 45, 45) {
        @Override
        Shape outline() {
            return new Ellipse2D.Double(-1, -1, 2, 2);
        }
    },
    GREEN_SQUARE(50, 190, 60) {
        @Override
        Shape outline() {
            return new Rectangle2D.Double(-0.75, -0.75, 1.5, 1.5);
        }
    },
    BLUE_TRIANGLE(45, 95, 235) {
        @Override
        Shape outline() {
            return polygon(3, 1.0, 0);
        }
    },
    YELLOW_STAR(240, 215, 40) {
        @Override
        Shape outline() {
            Path2D.Double p = new Path2D.Double();
            for (int i = 0; i < 10; i++) {
                double r = i % 2 == 0 ? 1.0 : 0.42;
                double a = -Math.PI / 2 + i * Math.PI / 5;
                if (i == 0) {
                    p.moveTo(r * Math.cos(a), r * Math.sin(a));
                } else {
                    p.lineTo(r * Math.cos(a), r * Math.sin(a));
                }
            }
            p.closePath();
            return p;
        }
    },
    MAGENTA_PLUS(215, 50, 215) {
        @Override
        Shape outline() {
            Area a = new Area(new Rectangle2D.Double(-1, -0.3, 2, 0.6));
            a.add(new Area(new Rectangle2D.Double(-0.3, -1, 0.6, 2)));
            return a;
        }
    },
    CYAN_RING(40, 210, 215) {
        @Override
        Shape outline() {
            Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
            a.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
            return a;
        }
    },
    ORANGE_HEXAGON(250, 140, 30) {
        @Override
        Shape outline() {
            return polygon(6, 0.95, 0);
        }
    },
    WHITE_BAR(235, 235, 235) {
        @Override
        Shape outline() {
            return new Rectangle2D.Double(-1.05, -0.25, 2.1, 0.5);
        }
    },
    PINK_HALF_DISC(255, 160, 200) {
        @Override
        Shape outline() {
            // the centroid of a half disc lies 4/(3 pi) of the radius from the cut
            double shift = 4 / (3 * Math.PI);
            return new Arc2D.Double(-1, -1 + shift, 2, 2, 0, 180, Arc2D.PIE);
        }
    },
    VIOLET_FRAME(150, 100, 255) {
        @Override
        Shape outline() {
            Area a = new Area(new Rectangle2D.Double(-0.8, -0.8, 1.6, 1.6));
            a.subtract(new Area(new Rectangle2D.Double(-0.42, -0.42, 0.84, 0.84)));
            return a;
        }
    };

    private final int red;
    private final int green;
    private final int blue;

    ShapeClass(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The outline, centred on the origin, radius about 1. */
    abstract Shape outline();

    /** The base colour as 0xRRGGBB. */
    public int rgb() {
        return (red << 16) | (green << 8) | blue;
    }

    /** A lower-case name such as {@code red circle}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private static Shape polygon(int sides, double radius, double phase) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < sides; i++) {
            double a = phase - Math.PI / 2 + i * 2 * Math.PI / sides;
            if (i == 0) {
                p.moveTo(radius * Math.cos(a), radius * Math.sin(a));
            } else {
                p.lineTo(radius * Math.cos(a), radius * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }
}
