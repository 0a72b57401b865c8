package dev.satflow.core.marks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.Box2d;
import dev.satflow.schema.Mark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MarkPainterTest {
    private static final int GREY = 0x808080;
    private static final int RED = 0xe61414;
    private static final int WHITE = 0xffffff;

    static Mark dot(int image, String label, double x, double y, double r, String color) {
        return Mark.newBuilder().setImage(image).setKind("dot").setLabel(label).setX((float) x).setY((float) y)
                .setSize((float) r).setColor(color).setObjectId(7).build();
    }

    static Mark box(int image, String label, int x0, int y0, int x1, int y1, String color) {
        return Mark.newBuilder().setImage(image).setKind("box").setLabel(label)
                .setBox(Box2d.newBuilder().setXMin(x0).setYMin(y0).setXMax(x1).setYMax(y1).build())
                .setColor(color).setObjectId(8).build();
    }

    static Mark cross(int image, double x, double y, double size) {
        return Mark.newBuilder().setImage(image).setKind("cross").setLabel("X").setX((float) x).setY((float) y)
                .setSize((float) size).setObjectId(0).build();
    }

    static BufferedImage grey(int w, int h) {
        return solid(w, h, GREY);
    }

    static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    static int px(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xffffff;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    static BufferedImage read(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void dotChangesPixelsOnlyWithinRadiusPlusRim() {
        int w = 120;
        int h = 100;
        double cx = 40.3;
        double cy = 55.0;
        double r = 12;
        BufferedImage img = grey(w, h);
        MarkPainter.paint(img, List.of(dot(0, "A", cx, cy, r, "#e61414")), 0);
        int rim = MarkPainter.rimWidth(w);
        assertEquals(1, rim);
        int changed = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - cx, y - cy);
                int p = px(img, x, y);
                if (p != GREY) {
                    changed++;
                    assertTrue(d <= r + rim + 1e-9, "changed pixel " + x + "," + y + " at distance " + d);
                    assertTrue(p == RED || p == WHITE, "dot pixels are red or white, got " + Integer.toHexString(p));
                }
                if (d > r && d <= r + rim - 0.5) {
                    assertEquals(WHITE, p, "rim pixel " + x + "," + y);
                }
            }
        }
        assertTrue(changed > Math.PI * r * r, "dot painted " + changed + " pixels");
        // the disc is red where the label is not: a ring just inside the radius is all red
        for (int a = 0; a < 360; a += 10) {
            int x = (int) Math.round(cx + (r - 1.5) * Math.cos(Math.toRadians(a)));
            int y = (int) Math.round(cy + (r - 1.5) * Math.sin(Math.toRadians(a)));
            assertEquals(RED, px(img, x, y), "disc pixel " + x + "," + y);
        }
        // a filled disc, not a ring: every pixel within r - 1/2 is painted
        int inDisc = 0;
        int inDiscChanged = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (Math.hypot(x - cx, y - cy) <= r - 0.5) {
                    inDisc++;
                    if (px(img, x, y) != GREY) {
                        inDiscChanged++;
                    }
                }
            }
        }
        assertEquals(inDisc, inDiscChanged);
    }

    @Test
    void wholeNumberRadiiHaveNoOnePixelSpikes() {
        BufferedImage img = grey(100, 100);
        MarkPainter.paint(img, List.of(dot(0, "", 50, 50, 15, "#e61414")), 0);
        int outer = 15 + MarkPainter.rimWidth(100); // 16
        for (int[] d : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
            assertEquals(GREY, px(img, 50 + d[0] * outer, 50 + d[1] * outer), "no spike at the rim's extreme");
            assertEquals(WHITE, px(img, 50 + d[0] * (outer - 1), 50 + d[1] * (outer - 1)));
            // the extreme column of the rim is more than one pixel tall
            assertEquals(WHITE, px(img, 50 + d[0] * (outer - 1) + d[1], 50 + d[1] * (outer - 1) + d[0]));
            assertEquals(RED, px(img, 50 + d[0] * 14, 50 + d[1] * 14));
        }
    }

    /** White pixels on the coloured disc (squared distance at most r(r - 1/2)): the label's ink. */
    static int[] inkBounds(BufferedImage img, double cx, double cy, double r) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                double dx = x - cx;
                double dy = y - cy;
                if (dx * dx + dy * dy <= r * (r - 0.5) && px(img, x, y) == WHITE) { // on the coloured disc
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                    n++;
                }
            }
        }
        return new int[] {x0, y0, x1, y1, n};
    }

    @Test
    void labelIsWhiteCentredAndShapedLikeTheGlyph() {
        double cx = 50;
        double cy = 50;
        double r = 15; // SAT's radius at 512 px
        BufferedImage img = grey(512, 100);
        MarkPainter.paint(img, List.of(dot(0, "A", cx, cy, r, "#e61414")), 0);
        int[] b = inkBounds(img, cx, cy, r);
        assertTrue(b[4] > 20, "label ink pixels: " + b[4]);
        int gh = b[3] - b[1] + 1;
        assertEquals(Math.round(1.1 * r), gh, "glyph height ~ 1.1 r");
        assertEquals(cx, (b[0] + b[2]) / 2.0, 0.5, "label centred in x");
        assertEquals(cy, (b[1] + b[3]) / 2.0, 0.5, "label centred in y");
        // 'A': the apex row has no ink at its corners, the crossbar row is solid, the bottom centre is open
        assertEquals(RED, px(img, b[0], b[1]));
        assertEquals(RED, px(img, b[2], b[1]));
        assertEquals(WHITE, px(img, (b[0] + b[2]) / 2, b[1]));
        int bar = b[1] + (int) Math.round(3.5 * gh / 7.0);
        for (int x = b[0]; x <= b[2]; x++) {
            assertEquals(WHITE, px(img, x, bar), "crossbar at " + x + "," + bar);
        }
        assertEquals(RED, px(img, (b[0] + b[2]) / 2, b[3]));
        assertEquals(WHITE, px(img, b[0], b[3]));
        assertEquals(WHITE, px(img, b[2], b[3]));
    }

    @Test
    void twoDigitLabelStaysInsideTheDisc() {
        for (double r : new double[] {6, 7.5, 10, 15, 30}) {
          for (String label : new String[] {"12", "88"}) {
            double cx = 60.5;
            double cy = 60;
            BufferedImage img = grey(128, 128);
            BufferedImage bare = grey(128, 128);
            MarkPainter.paint(img, List.of(dot(0, label, cx, cy, r, "#1f5fe6")), 0);
            MarkPainter.paint(bare, List.of(dot(0, "", cx, cy, r, "#1f5fe6")), 0);
            boolean[] ink = diff(img, bare);
            assertTrue(MarkPainter.count(ink) > 0, "r=" + r + ": label drawn");
            for (int i = 0; i < ink.length; i++) {
                if (ink[i]) {
                    int x = i % 128;
                    int y = i / 128;
                    assertEquals(WHITE, px(img, x, y));
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    assertTrue(d2 <= r * (r - 0.5), "r=" + r + ": glyph pixel " + x + "," + y
                            + " outside the coloured disc");
                }
            }
            int[] inside = inkBounds(img, cx, cy, r);
            // both digits: ink in the left and in the right half
            assertTrue(inside[0] < cx - 1 && inside[2] > cx + 1, "r=" + r);
            if (label.equals("88")) { // ink reaches all four sides of its box
                assertEquals(cx, (inside[0] + inside[2]) / 2.0, 0.5, "r=" + r);
                assertEquals(cy, (inside[1] + inside[3]) / 2.0, 0.5, "r=" + r);
            }
          }
        }
    }

    @Test
    void boxOutlineLiesOutsideTheBoxAndInsideTheImage() {
        int w = 200;
        int h = 150;
        int t = MarkPainter.boxLineWidth(w);
        assertEquals(2, t);
        assertEquals(3, MarkPainter.boxLineWidth(512));
        BufferedImage img = grey(w, h);
        MarkPainter.paint(img, List.of(box(0, "", 30, 40, 60, 70, "#1f5fe6")), 0);
        int blue = 0x1f5fe6;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inBox = x >= 30 && x <= 60 && y >= 40 && y <= 70;
                boolean inRing = x >= 30 - t && x <= 60 + t && y >= 40 - t && y <= 70 + t && !inBox;
                assertEquals(inRing ? blue : GREY, px(img, x, y), "pixel " + x + "," + y);
            }
        }
        // with a label: a blue tag with white text sits above the top-left corner; the box itself stays clean
        BufferedImage tagged = grey(w, h);
        MarkPainter.paint(tagged, List.of(box(0, "B", 30, 40, 60, 70, "#1f5fe6")), 0);
        int whites = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inBox = x >= 30 && x <= 60 && y >= 40 && y <= 70;
                int p = px(tagged, x, y);
                if (inBox) {
                    assertEquals(GREY, p);
                } else if (p != px(img, x, y)) {
                    assertTrue(y < 40 - t && x >= 30 - t, "tag pixel " + x + "," + y + " above-left of the box");
                    whites += p == WHITE ? 1 : 0;
                }
            }
        }
        assertTrue(whites > 5, "tag text pixels: " + whites);
        assertEquals(blue, px(tagged, 30 - t, 40 - t - 1), "tag sits on the outline's corner");
    }

    @Test
    void boxAtTheImageEdgesIsClippedAndItsTagMovesInside() {
        BufferedImage img = grey(100, 80);
        MarkPainter.paint(img, List.of(box(0, "", 0, 0, 99, 79, "#00ff00")), 0);
        assertEquals(0, MarkPainter.count(diff(img, grey(100, 80))), "outline of a full-image box is all outside");
        // box touching the top: the tag goes below it
        BufferedImage top = grey(100, 80);
        MarkPainter.paint(top, List.of(box(0, "C", 10, 0, 40, 20, "#00ff00")), 0);
        boolean below = false;
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 100; x++) {
                if (x >= 10 && x <= 40 && y <= 20) {
                    assertEquals(GREY, px(top, x, y), "box interior " + x + "," + y);
                }
                if (y > 22 && px(top, x, y) == WHITE) {
                    below = true;
                }
            }
        }
        assertTrue(below, "tag text below the box");
    }

    @Test
    void crossIsCentredRedWithWhiteOutline() {
        BufferedImage img = grey(101, 101);
        MarkPainter.paint(img, List.of(cross(0, 50, 50, 10)), 0);
        assertEquals(RED, px(img, 50, 50));
        assertEquals(RED, px(img, 40, 40));
        assertEquals(RED, px(img, 60, 40));
        assertEquals(RED, px(img, 40, 60));
        assertEquals(RED, px(img, 60, 60));
        assertEquals(GREY, px(img, 50, 40), "between the arms");
        assertEquals(GREY, px(img, 40, 50), "between the arms");
        int x0 = 1000;
        int y0 = 1000;
        int x1 = -1;
        int y1 = -1;
        int whites = 0;
        for (int y = 0; y < 101; y++) {
            for (int x = 0; x < 101; x++) {
                int p = px(img, x, y);
                if (p != GREY) {
                    assertTrue(p == RED || p == WHITE);
                    whites += p == WHITE ? 1 : 0;
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
                // symmetric about the centre in both axes
                assertEquals(p, px(img, 100 - x, y), "mirror x of " + x + "," + y);
                assertEquals(p, px(img, x, 100 - y), "mirror y of " + x + "," + y);
            }
        }
        assertEquals(100, x0 + x1);
        assertEquals(100, y0 + y1);
        assertTrue(x1 - 50 >= 10 && x1 - 50 <= 13, "half-width ~ size plus outline: " + (x1 - 50));
        assertTrue(whites > 20, "white outline pixels: " + whites);
    }

    @Test
    void marksForOtherImagesAreIgnored() throws IOException {
        List<Mark> marks = List.of(dot(1, "A", 20, 20, 8, "#e61414"), box(2, "B", 5, 5, 10, 10, "#00ff00"),
                cross(1, 30, 30, 6));
        BufferedImage img = grey(64, 64);
        MarkPainter.paint(img, marks, 0);
        assertEquals(0, MarkPainter.count(diff(img, grey(64, 64))));
        byte[] in = png(grey(64, 64));
        assertSame(in, MarkPainter.paintPng(in, marks, 0));
        assertSame(in, MarkPainter.paintPng(in, List.of(), 1));
        // not even decoded: bytes that are no image come back too
        byte[] junk = {1, 2, 3};
        assertSame(junk, MarkPainter.paintPng(junk, marks, 5));
        // a bad mark on another image is not checked
        MarkPainter.paint(grey(8, 8), List.of(dot(3, "A", 1, 1, 1, "red")), 0);
        // ... but is on its own image
        assertThrows(IllegalArgumentException.class,
                () -> MarkPainter.paint(grey(8, 8), List.of(dot(3, "A", 1, 1, 1, "red")), 3));
        BufferedImage one = grey(64, 64);
        MarkPainter.paint(one, marks, 1);
        assertEquals(RED, px(one, 20, 20 - 7));
        assertEquals(GREY, px(one, 7, 7), "the box is for image 2");
    }

    @Test
    void paintPngIsDeterministicAndPaints() throws IOException {
        byte[] in = png(grey(96, 80));
        List<Mark> marks = List.of(dot(0, "1", 30, 30, 9, "#e61414"), box(0, "2", 50, 40, 80, 70, "#22aa22"),
                cross(0, 70, 20, 6));
        byte[] a = MarkPainter.paintPng(in, marks, 0);
        byte[] b = MarkPainter.paintPng(in.clone(), marks, 0);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(in, a));
        BufferedImage out = read(a);
        assertEquals(96, out.getWidth());
        assertEquals(80, out.getHeight());
        BufferedImage direct = grey(96, 80);
        MarkPainter.paint(direct, marks, 0);
        assertEquals(0, MarkPainter.count(diff(out, direct)), "PNG holds exactly what paint draws");
        assertEquals(RED, px(out, 30, 30 - 7));
    }

    @Test
    void paintDecodesConvertsAndPaints() throws IOException {
        BufferedImage gray = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage out = MarkPainter.paint(png(gray), List.of(dot(0, "", 20, 15, 5, "#0000ff")), 0);
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertEquals(0x0000ff, px(out, 20, 15));
        assertEquals(0x000000, px(out, 0, 0));
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(grey(40, 30), "jpeg", jpg));
        assertEquals(0x0000ff, px(MarkPainter.paint(jpg.toByteArray(), List.of(dot(0, "", 20, 15, 5, "#0000ff")), 0),
                20, 15));
    }

    @Test
    void undecodableBytesAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MarkPainter.paint(new byte[] {'n', 'o', 'p', 'e'}, List.of(), 0));
        assertTrue(e.getMessage().contains("4 bytes") && e.getMessage().contains("PNG/JPEG"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MarkPainter.paintPng(new byte[0], List.of(cross(0, 1, 1, 1)), 0));
    }

    @Test
    void badColourNamesTheValue() {
        for (String bad : new String[] {"red", "#12345", "#gg0000", "e61414", "#e614140", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MarkPainter.parseColor(bad));
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                    () -> MarkPainter.paint(grey(10, 10), List.of(dot(0, "A", 5, 5, 3, bad)), 0));
            assertTrue(p.getMessage().contains("\"" + bad + "\"") && p.getMessage().contains("marks[0]"),
                    p.getMessage());
        }
        assertEquals(0xe61414, MarkPainter.parseColor("#e61414"));
        assertEquals(0xABCDEF, MarkPainter.parseColor("#AbCdEf"));
    }

    @Test
    void badMarksAreRejectedBeforeAnythingIsDrawn() {
        BufferedImage img = grey(20, 20);
        Mark good = dot(0, "A", 10, 10, 5, "#e61414");
        Mark unknown = Mark.newBuilder(good).setKind("circle").build();
        Mark noBox = Mark.newBuilder(good).setKind("box").build();
        Mark nanX = Mark.newBuilder(good).setX(Float.NaN).build();
        Mark badLabel = Mark.newBuilder(good).setLabel("é").build();
        Mark inverted = box(0, "", 10, 10, 5, 5, "#e61414");
        for (Mark bad : List.of(unknown, noBox, nanX, badLabel, inverted)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MarkPainter.paint(img, List.of(good, bad), 0));
            assertTrue(e.getMessage().startsWith("marks[1]"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MarkPainter.paint(img, List.of(unknown), 0))
                .getMessage().contains("\"circle\""));
        assertEquals(0, MarkPainter.count(diff(img, grey(20, 20))), "nothing drawn");
        // lower case labels are drawn as upper case
        BufferedImage lower = grey(40, 40);
        BufferedImage upper = grey(40, 40);
        MarkPainter.paint(lower, List.of(dot(0, "b", 20, 20, 12, "#e61414")), 0);
        MarkPainter.paint(upper, List.of(dot(0, "B", 20, 20, 12, "#e61414")), 0);
        assertEquals(0, MarkPainter.count(diff(lower, upper)));
    }

    @Test
    void marksPartlyOrWhollyOutsideTheImageDoNotThrow() {
        int w = 64;
        int h = 48;
        List<Mark> marks = List.of(dot(0, "A", -5, 3, 15, "#e61414"), dot(0, "10", w + 3, h + 3, 10, "#e61414"),
                box(0, "C", -10, -10, 5, 5, "#00ff00"), box(0, "D", w - 5, h - 5, w + 50, h + 50, "#00ff00"),
                box(0, "E", 1000, 1000, 1010, 1010, "#00ff00"),
                box(0, "", Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, "#00ff00"),
                cross(0, w + 2, h / 2.0, 8), cross(0, -1e9, 1e9, 1e6), dot(0, "1", 1e30, -1e30, 1e30, "#e61414"));
        BufferedImage img = grey(w, h);
        MarkPainter.paint(img, marks, 0);
        assertEquals(RED, px(img, 5, 3));
        assertTrue(MarkPainter.count(diff(img, grey(w, h))) > 0);
    }

    @Test
    void coverageIsExactlyWhatPaintChanges() {
        int w = 80;
        int h = 60;
        // white rims and tag text on a white image, a black mark on a black one: coverage still sees them all
        List<Mark> marks = List.of(dot(0, "A", 20, 20, 8, "#ffffff"), dot(0, "B", 60, 20, 8, "#000000"),
                box(0, "1", 30, 35, 50, 50, "#808080"), cross(0, 70, 50, 5), dot(1, "C", 40, 30, 10, "#e61414"));
        boolean[] cov = MarkPainter.coverage(w, h, marks, 0);
        // on a noise image every pixel paint() writes differs from the original (almost surely), none else
        Random rnd = new Random(3);
        BufferedImage noise = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                noise.setRGB(x, y, 0x010101 + rnd.nextInt(0xfefefe));
            }
        }
        BufferedImage before = copy(noise);
        MarkPainter.paint(noise, marks, 0);
        assertArrayEquals(diff(noise, before), cov);
        boolean[] onlyC = MarkPainter.coverage(w, h, marks.get(4));
        assertEquals(MarkPainter.count(MarkPainter.coverage(w, h, marks, 1)), MarkPainter.count(onlyC));
        double r = 10 + MarkPainter.rimWidth(w);
        assertTrue(MarkPainter.count(onlyC) <= Math.PI * (r + 1) * (r + 1));
    }

    /** Writes target/mark-samples/*.png: a grey image with two dots (A, B), a labelled box and an X. */
    @Test
    void writesSamplesToLookAt() throws IOException {
        Path dir = Path.of("target", "mark-samples");
        Files.createDirectories(dir);
        for (int size : new int[] {256, 512}) {
            double k = size / 256.0;
            BufferedImage img = grey(size, size);
            // a darker "object" under the box so the outline's placement is visible
            for (int y = (int) (150 * k); y <= (int) (210 * k); y++) {
                for (int x = (int) (40 * k); x <= (int) (110 * k); x++) {
                    img.setRGB(x, y, 0x5a4a3a);
                }
            }
            List<Mark> marks = new ArrayList<>();
            marks.add(dot(0, "A", 70 * k, 70 * k, MarkPainter.defaultDotRadius(size), "#e61414"));
            marks.add(dot(0, "B", 180 * k, 90 * k, MarkPainter.defaultDotRadius(size), "#e61414"));
            marks.add(box(0, "C", (int) (40 * k), (int) (150 * k), (int) (110 * k), (int) (210 * k), "#1f5fe6"));
            marks.add(cross(0, 190 * k, 190 * k, 0));
            marks.add(dot(0, "12", 225 * k, 30 * k, MarkPainter.defaultDotRadius(size), "#e61414"));
            byte[] out = MarkPainter.paintPng(png(img), marks, 0);
            Files.write(dir.resolve("marks-" + size + ".png"), out);
            assertNotEquals(0, out.length);
        }
    }

    static boolean[] diff(BufferedImage a, BufferedImage b) {
        boolean[] d = new boolean[a.getWidth() * a.getHeight()];
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                d[y * a.getWidth() + x] = px(a, x, y) != px(b, x, y);
            }
        }
        return d;
    }

    static BufferedImage copy(BufferedImage src) {
        BufferedImage c = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        c.setData(src.getData());
        return c;
    }
}
