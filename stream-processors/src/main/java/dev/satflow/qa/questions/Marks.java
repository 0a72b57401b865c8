package dev.satflow.qa.questions;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/** Marks drawn on a frame for a question (SAT's 'X' for perspective): a red cross with a white rim. */
final class Marks {
    private Marks() {}

    static byte[] cross(ByteBuffer image, String format, double u, double v) {
        BufferedImage img = decode(image);
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            double r = Math.max(4, img.getWidth() / 40.0);
            float w = (float) Math.max(1.5, img.getWidth() / 160.0);
            for (Color c : new Color[] {Color.WHITE, new Color(230, 20, 20)}) {
                g.setColor(c);
                g.setStroke(new BasicStroke(c == Color.WHITE ? w * 2.2f : w, BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(u - r, v - r, u + r, v + r));
                g.draw(new Line2D.Double(u - r, v + r, u + r, v - r));
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(rgb, "jpeg".equals(format) ? "jpeg" : "png", out)) {
                throw new IllegalStateException("no ImageIO writer for format " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage decode(ByteBuffer image) {
        ByteBuffer b = image.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null) {
                throw new IllegalArgumentException("image: " + bytes.length + " bytes are not a decodable PNG/JPEG");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException("image: cannot decode (" + e.getMessage() + ")", e);
        }
    }
}
