package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    @Test
    void producesChwFloatsInUnitRangeAtModelSize() throws IOException {
        ImageDecoder decoder = new ImageDecoder(64);
        float[] chw = decoder.decodeToFloat(png(quadrants(256, BufferedImage.TYPE_3BYTE_BGR)));
        assertEquals(3 * 64 * 64, chw.length);
        for (float v : chw) {
            assertTrue(v >= 0f && v <= 1f, "value out of [0,1]: " + v);
        }
        // Quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.
        assertPixel(chw, 64, 5, 5, 1, 0, 0);
        assertPixel(chw, 64, 60, 5, 0, 1, 0);
        assertPixel(chw, 64, 5, 60, 0, 0, 1);
        assertPixel(chw, 64, 60, 60, 1, 1, 1);
    }

    @Test
    void configurableSizeAndUpscaling() throws IOException {
        float[] big = new ImageDecoder(96).decodeToFloat(png(quadrants(256, BufferedImage.TYPE_3BYTE_BGR)));
        assertEquals(3 * 96 * 96, big.length);
        assertPixel(big, 96, 90, 90, 1, 1, 1);
        float[] up = new ImageDecoder(64).decodeToFloat(png(quadrants(20, BufferedImage.TYPE_3BYTE_BGR)));
        assertPixel(up, 64, 0, 0, 1, 0, 0);
        assertPixel(up, 64, 63, 0, 0, 1, 0);
        assertPixel(up, 64, 63, 63, 1, 1, 1);
    }

    @Test
    void fastReaderMatchesImageIoForEveryEightBitLayout() throws IOException {
        int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY,
            BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_INT_RGB};
        int[][] sizes = {{256, 256}, {100, 70}, {64, 64}, {33, 47}};
        for (int type : types) {
            for (int[] wh : sizes) {
                // Noise plus gradients makes the PNG writer use every filter type across rows.
                byte[] png = png(noisy(wh[0], wh[1], type, 31L * type + wh[0]));
                assertTrue(new PngRowReader().read(png, new CountingSink()), "fast path must handle type " + type);
                ImageDecoder decoder = new ImageDecoder(64);
                ByteBuffer fast = ByteBuffer.allocate(decoder.imageBytes());
                ByteBuffer reference = ByteBuffer.allocate(decoder.imageBytes());
                decoder.decodeInto(png, fast, 0);
                decoder.decodeIntoWithImageIo(png, reference, 0);
                assertArrayEquals(reference.array(), fast.array(), "type " + type + " " + Arrays.toString(wh));
            }
        }
    }

    @Test
    void sixteenBitImagesFallBackToImageIo() throws IOException {
        BufferedImage grey16 = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
        Graphics2D g = grey16.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 16, 32);
        g.dispose();
        float[] chw = new ImageDecoder(16).decodeToFloat(png(grey16));
        assertPixel(chw, 16, 2, 2, 1, 1, 1);
        assertPixel(chw, 16, 13, 2, 0, 0, 0);
    }

    @Test
    void writesOnlyItsOwnSliceAtTheOffset() throws IOException {
        ImageDecoder decoder = new ImageDecoder(8);
        ByteBuffer dst = ByteBuffer.allocateDirect(3 * decoder.imageBytes());
        for (int i = 0; i < dst.capacity(); i++) {
            dst.put(i, (byte) 7);
        }
        decoder.decodeInto(png(quadrants(16, BufferedImage.TYPE_3BYTE_BGR)), dst, decoder.imageBytes());
        assertEquals(0, dst.position());
        assertEquals(7, dst.get(decoder.imageBytes() - 1));
        assertEquals((byte) 255, dst.get(decoder.imageBytes())); // red plane, top-left pixel
        assertEquals(7, dst.get(2 * decoder.imageBytes()));
    }

    @Test
    void rejectsBytesThatAreNotAPng() throws IOException {
        ImageDecoder decoder = new ImageDecoder(8);
        assertThrows(IllegalArgumentException.class, () -> decoder.decodeToFloat(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> decoder.decodeToFloat(new byte[100]));
        byte[] good = png(noisy(40, 40, BufferedImage.TYPE_3BYTE_BGR, 1));
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        assertThrows(IllegalArgumentException.class, () -> decoder.decodeToFloat(truncated));
        // Still usable afterwards.
        assertEquals(3 * 8 * 8, decoder.decodeToFloat(good).length);
    }

    @Test
    void fastReaderDeclinesSixteenBitSoImageIoHandlesIt() throws IOException {
        CountingSink sink = new CountingSink();
        byte[] grey16 = png(new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY));
        assertFalse(new PngRowReader().read(grey16, sink));
        assertEquals(0, sink.rows);
    }

    @Test
    void marksAreDrawnAtFullSizeExactlyAsThePainterDrawsThem() throws IOException {
        byte[] plain = png(noisy(200, 160, BufferedImage.TYPE_3BYTE_BGR, 11));
        java.util.List<dev.satflow.schema.Mark> marks = java.util.List.of(
                dev.satflow.schema.Mark.newBuilder().setImage(0).setKind("dot").setLabel("A").setX(60).setY(70)
                        .setSize(12).build(),
                dev.satflow.schema.Mark.newBuilder().setImage(0).setKind("box").setLabel("").setX(0).setY(0)
                        .setBox(new dev.satflow.schema.Box2d(120, 20, 170, 90)).setColor("#1450e6").build(),
                dev.satflow.schema.Mark.newBuilder().setImage(1).setKind("cross").setX(10).setY(10).setSize(8).build());
        ImageDecoder decoder = new ImageDecoder(64);
        ByteBuffer viaPainter = ByteBuffer.allocate(decoder.imageBytes());
        decoder.decodeInto(dev.satflow.core.marks.MarkPainter.paintPng(plain, marks, 0), viaPainter, 0);
        ByteBuffer fast = ByteBuffer.allocate(decoder.imageBytes());
        decoder.decodeInto(plain, marks, 0, fast, 0);
        assertArrayEquals(viaPainter.array(), fast.array(), "marks painted before resampling, same pixels");
        ByteBuffer unmarked = ByteBuffer.allocate(decoder.imageBytes());
        decoder.decodeInto(plain, unmarked, 0);
        ByteBuffer otherImage = ByteBuffer.allocate(decoder.imageBytes());
        decoder.decodeInto(plain, marks, 2, otherImage, 0);
        assertArrayEquals(unmarked.array(), otherImage.array(), "marks of other images are not drawn");
        assertFalse(java.util.Arrays.equals(unmarked.array(), fast.array()), "the marks show");
    }

    private static final class CountingSink implements PngRowReader.RowSink {
        int rows;

        @Override
        public void begin(int width, int height) {
        }

        @Override
        public void row(int y, byte[] rgb) {
            rows++;
        }
    }

    private static void assertPixel(float[] chw, int size, int x, int y, float r, float g, float b) {
        int plane = size * size;
        int i = y * size + x;
        assertEquals(r, chw[i], 1e-6, "red at " + x + "," + y);
        assertEquals(g, chw[plane + i], 1e-6, "green at " + x + "," + y);
        assertEquals(b, chw[2 * plane + i], 1e-6, "blue at " + x + "," + y);
    }

    static BufferedImage quadrants(int size, int type) {
        BufferedImage image = new BufferedImage(size, size, type);
        Graphics2D g = image.createGraphics();
        int h = size / 2;
        g.setColor(Color.RED);
        g.fillRect(0, 0, h, h);
        g.setColor(Color.GREEN);
        g.fillRect(h, 0, size - h, h);
        g.setColor(Color.BLUE);
        g.fillRect(0, h, h, size - h);
        g.setColor(Color.WHITE);
        g.fillRect(h, h, size - h, size - h);
        g.dispose();
        return image;
    }

    private static BufferedImage noisy(int w, int h, int type, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / w + random.nextInt(40)) & 0xff;
                int g = (y * 255 / h + random.nextInt(8)) & 0xff;
                int b = ((x + y) * 3 + (random.nextInt(10) < 2 ? random.nextInt(256) : 0)) & 0xff;
                int a = 128 + random.nextInt(128);
                image.setRGB(x, y, (a << 24) | (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out));
        return out.toByteArray();
    }
}
