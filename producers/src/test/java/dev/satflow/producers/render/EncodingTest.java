package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class EncodingTest {

    static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IOException("ImageIO could not decode the bytes");
        }
        return img;
    }

    static byte[] rgbOf(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }

    private static byte[] bytes(Frame f) {
        byte[] b = new byte[f.getImage().remaining()];
        f.getImage().duplicate().get(b);
        return b;
    }

    @Test
    void pngEncoderRoundTripsEveryFilterAndOddSizes() throws IOException {
        Random rnd = new Random(7);
        for (int[] size : new int[][] {{1, 1}, {37, 23}, {64, 3}}) {
            byte[] rgb = new byte[size[0] * size[1] * 3];
            rnd.nextBytes(rgb);
            for (PngEncoder.Filter filter : PngEncoder.Filter.values()) {
                for (int level : new int[] {0, 1, 9}) {
                    BufferedImage img = decode(new PngEncoder(level, filter).encode(rgb, size[0], size[1]));
                    assertEquals(size[0], img.getWidth());
                    assertEquals(size[1], img.getHeight());
                    assertArrayEquals(rgb, rgbOf(img), filter + " level " + level);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new PngEncoder(1, PngEncoder.Filter.UP).encode(new byte[5], 2, 1));
    }

    @Test
    void pngEncoderGivesTheSameBytesWhateverItsThreadEncodedBefore() throws Exception {
        // the Deflater and buffers are reused per thread: no earlier image or level may leak into the next
        Random rnd = new Random(3);
        byte[] big = new byte[300 * 200 * 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i / 900 + (rnd.nextInt(8) == 0 ? rnd.nextInt(4) : 0)); // compressible, not trivially
        }
        byte[] small = new byte[5 * 4 * 3];
        rnd.nextBytes(small);
        PngEncoder fast = new PngEncoder(1, PngEncoder.Filter.NONE);
        PngEncoder best = new PngEncoder(9, PngEncoder.Filter.UP);
        byte[] first = fast.encode(big, 300, 200);
        byte[] smallFirst = fast.encode(small, 5, 4);
        best.encode(big, 300, 200);
        assertArrayEquals(first, fast.encode(big, 300, 200), "after another level");
        assertArrayEquals(smallFirst, fast.encode(small, 5, 4), "after a larger image");
        byte[][] elsewhere = new byte[1][];
        Thread t = new Thread(() -> elsewhere[0] = fast.encode(big, 300, 200));
        t.start();
        t.join();
        assertArrayEquals(first, elsewhere[0], "on a fresh thread");
        assertArrayEquals(big, rgbOf(decode(first)));
        assertArrayEquals(small, rgbOf(decode(smallFirst)));
    }

    @Test
    void renderedPngDecodesToExactlyTheReadBackPixelsAndJpegToTheRightSize() throws IOException {
        SceneSpec png = TestScenes.furnished(200, 150);
        SceneSpec jpeg = TestScenes.furnished(200, 150);
        jpeg.getRender().setImageFormat("JPEG");
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG)
                .withPng(1, PngEncoder.Filter.SUB))) {
            List<RawFrame> raw = w.renderSceneUnencoded(png);
            List<Frame> pngFrames = w.renderScene(png);
            List<Frame> jpegFrames = w.renderScene(jpeg);
            for (int i = 0; i < raw.size(); i++) {
                Frame f = pngFrames.get(i);
                assertEquals("png", f.getImageFormat());
                BufferedImage img = decode(bytes(f));
                assertEquals(200, img.getWidth());
                assertEquals(150, img.getHeight());
                assertArrayEquals(raw.get(i).rgb(), rgbOf(img), "PNG pixels of view " + i);

                Frame j = jpegFrames.get(i);
                assertEquals("jpeg", j.getImageFormat());
                BufferedImage jimg = decode(bytes(j));
                assertEquals(200, jimg.getWidth());
                assertEquals(150, jimg.getHeight());
                byte[] decoded = rgbOf(jimg);
                double error = 0;
                for (int k = 0; k < decoded.length; k++) {
                    error += Math.abs((decoded[k] & 0xff) - (raw.get(i).rgb()[k] & 0xff));
                }
                assertTrue(error / decoded.length < 6, "JPEG close to the rendering: mean error " + error / decoded.length);
                assertTrue(j.getImage().remaining() < f.getImage().remaining(), "JPEG smaller than PNG");
            }
        }
    }

    @Test
    void unsupportedFormatIsRejectedBeforeRendering() {
        SceneSpec spec = TestScenes.furnished(32, 32);
        spec.getRender().setImageFormat("webp");
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.renderScene(spec));
            assertTrue(e.getMessage().contains("webp"));
        }
    }
}
