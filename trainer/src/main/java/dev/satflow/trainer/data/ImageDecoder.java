package dev.satflow.trainer.data;

import dev.satflow.core.marks.MarkPainter;
import dev.satflow.schema.Mark;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * PNG bytes to a square RGB image of the model's input size, channel-major (CHW).
 *
 * <p>Resampling is a box filter (each output pixel averages the source pixels it covers), which keeps small
 * objects visible when a 256-pixel render shrinks to 64, and degrades to nearest-neighbour when enlarging.
 * 8-bit non-interlaced PNGs (what renderers write) are streamed row by row through {@link PngRowReader}
 * straight into the resampling sums, with no intermediate image; other PNGs go through ImageIO. Both paths
 * give identical pixels for the same image. Alpha is ignored (renders are opaque).
 *
 * <p>Not thread-safe: it reuses its reader and scratch buffers. Use one decoder per thread.
 */
public final class ImageDecoder {

    private final int size;
    private final PngRowReader rows = new PngRowReader();
    private final Resampler resampler;
    private final FullSize fullSize = new FullSize();
    private ImageReader imageIoReader;
    private byte[] fallbackRow = new byte[0];
    private int[] fallbackArgb = new int[0];

    public ImageDecoder(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive");
        }
        this.size = size;
        this.resampler = new Resampler(size);
    }

    public int size() {
        return size;
    }

    /** Bytes one decoded image occupies: 3 x size x size. */
    public int imageBytes() {
        return 3 * size * size;
    }

    /**
     * Decodes {@code png} and writes 3 x size x size unsigned bytes (R plane, G plane, B plane; rows top-down)
     * into {@code dst} at absolute index {@code offset}. The buffer's position is not changed.
     *
     * @throws IllegalArgumentException if the bytes are not a readable PNG
     */
    public void decodeInto(byte[] png, ByteBuffer dst, int offset) {
        if (!rows.read(png, resampler)) {
            decodeWithImageIo(png);
        }
        resampler.finish(dst, offset);
    }

    /**
     * Decodes an encoded image (PNG or JPEG), draws {@code marks} on it at full resolution with the
     * shared painter (so they look as they do everywhere else), then resamples as above. Without
     * marks a PNG takes the fast path.
     */
    public void decodeInto(byte[] encoded, List<Mark> marks, int imageIndex, ByteBuffer dst, int offset) {
        boolean any = marks.stream().anyMatch(m -> m.getImage() == imageIndex);
        if (!any && rows.read(encoded, resampler)) {
            resampler.finish(dst, offset);
            return;
        }
        if (any && rows.read(encoded, fullSize)) {
            // fast path: rows straight into a full-size RGB raster, marks painted there, then resampled
            MarkPainter.paint(fullSize.image, marks, imageIndex);
            fullSize.feed(resampler);
        } else {
            feed(MarkPainter.paint(encoded, marks, imageIndex));
        }
        resampler.finish(dst, offset);
    }

    /** Collects decoded rows into a reusable TYPE_INT_RGB image, so marks can be painted before resampling. */
    private static final class FullSize implements PngRowReader.RowSink {
        BufferedImage image;
        private int[] pixels;
        private byte[] row = new byte[0];

        @Override
        public void begin(int width, int height) {
            if (image == null || image.getWidth() != width || image.getHeight() != height) {
                image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                pixels = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
                row = new byte[3 * width];
            }
        }

        @Override
        public void row(int y, byte[] rgb) {
            int w = image.getWidth();
            for (int x = 0, p = 0; x < w; x++, p += 3) {
                pixels[y * w + x] = (rgb[p] & 0xff) << 16 | (rgb[p + 1] & 0xff) << 8 | (rgb[p + 2] & 0xff);
            }
        }

        void feed(PngRowReader.RowSink sink) {
            int w = image.getWidth();
            int h = image.getHeight();
            sink.begin(w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0, p = 0; x < w; x++, p += 3) {
                    int v = pixels[y * w + x];
                    row[p] = (byte) (v >>> 16);
                    row[p + 1] = (byte) (v >>> 8);
                    row[p + 2] = (byte) v;
                }
                sink.row(y, row);
            }
        }
    }

    /** Convenience for tests and tools: float CHW in [0, 1], length 3 x size x size. */
    public float[] decodeToFloat(byte[] png) {
        ByteBuffer scratch = ByteBuffer.allocate(imageBytes());
        decodeInto(png, scratch, 0);
        float[] out = new float[imageBytes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (scratch.get(i) & 0xff) / 255f;
        }
        return out;
    }

    /** Same output through ImageIO only; lets tests check the fast reader against the JDK's. */
    void decodeIntoWithImageIo(byte[] png, ByteBuffer dst, int offset) {
        decodeWithImageIo(png);
        resampler.finish(dst, offset);
    }

    private void decodeWithImageIo(byte[] png) {
        feed(readWithImageIo(png));
    }

    private void feed(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        resampler.begin(w, h);
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (fallbackRow.length < 3 * w) {
            fallbackRow = new byte[3 * w];
            fallbackArgb = new int[w];
        }
        if (raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof ComponentSampleModel sm
                && cm instanceof ComponentColorModel
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && bytes.getNumBanks() == 1 && sm.getNumBands() == cm.getNumComponents()
                && isPlainColourSpace(cm.getColorSpace(), cm.getNumColorComponents())) {
            // Raw samples: what a PNG viewer shows for sRGB and grey images, without colour conversion.
            byte[] data = bytes.getData();
            int[] bandOffsets = sm.getBandOffsets();
            boolean grey = cm.getNumColorComponents() == 1;
            int r = bandOffsets[0];
            int g = bandOffsets[grey ? 0 : 1];
            int b = bandOffsets[grey ? 0 : 2];
            int pixelStride = sm.getPixelStride();
            for (int y = 0; y < h; y++) {
                int base = bytes.getOffset() + y * sm.getScanlineStride();
                for (int x = 0; x < w; x++) {
                    int p = base + x * pixelStride;
                    fallbackRow[3 * x] = data[p + r];
                    fallbackRow[3 * x + 1] = data[p + g];
                    fallbackRow[3 * x + 2] = data[p + b];
                }
                resampler.row(y, fallbackRow);
            }
        } else {
            // 16-bit or colour-managed images: let Java2D convert to sRGB.
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, fallbackArgb, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = fallbackArgb[x];
                    fallbackRow[3 * x] = (byte) (argb >>> 16);
                    fallbackRow[3 * x + 1] = (byte) (argb >>> 8);
                    fallbackRow[3 * x + 2] = (byte) argb;
                }
                resampler.row(y, fallbackRow);
            }
        }
    }

    private BufferedImage readWithImageIo(byte[] png) {
        if (imageIoReader == null) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            if (!readers.hasNext()) {
                throw new IllegalStateException("no PNG reader in this JRE");
            }
            imageIoReader = readers.next();
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            imageIoReader.setInput(in, true, true);
            BufferedImage image = imageIoReader.read(0);
            if (image.getWidth() <= 0 || image.getHeight() <= 0) {
                throw new IllegalArgumentException("empty image");
            }
            return image;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable PNG: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a readable PNG: " + e, e);
        } finally {
            imageIoReader.setInput(null);
        }
    }

    private static boolean isPlainColourSpace(ColorSpace cs, int colourComponents) {
        return (colourComponents == 3 && cs.isCS_sRGB())
                || (colourComponents == 1 && cs.getType() == ColorSpace.TYPE_GRAY);
    }

    /** Box-filter accumulation of RGB rows into a size x size grid. */
    private static final class Resampler implements PngRowReader.RowSink {
        private final int size;
        private final int[] sums;
        private final int[] rowSums;
        private int width = -1;
        private int height = -1;
        private int[] colStart;
        private int[] colEnd;
        private int[] rowStart;
        private int[] rowEnd;
        // Output rows fed by each source row: [firstOut[y], lastOut[y]].
        private int[] firstOut;
        private int[] lastOut;

        Resampler(int size) {
            this.size = size;
            this.sums = new int[3 * size * size];
            this.rowSums = new int[3 * size];
        }

        @Override
        public void begin(int w, int h) {
            if (w != width || h != height) {
                // The spans depend only on the source size, which is the same for a whole stream.
                colStart = new int[size];
                colEnd = new int[size];
                rowStart = new int[size];
                rowEnd = new int[size];
                spans(w, colStart, colEnd);
                spans(h, rowStart, rowEnd);
                firstOut = new int[h];
                lastOut = new int[h];
                Arrays.fill(firstOut, Integer.MAX_VALUE);
                Arrays.fill(lastOut, -1);
                for (int o = 0; o < size; o++) {
                    for (int y = rowStart[o]; y < rowEnd[o]; y++) {
                        firstOut[y] = Math.min(firstOut[y], o);
                        lastOut[y] = Math.max(lastOut[y], o);
                    }
                }
                width = w;
                height = h;
            }
            Arrays.fill(sums, 0);
        }

        /** Source interval [start, end) for each output index; never empty. */
        private void spans(int source, int[] start, int[] end) {
            for (int i = 0; i < size; i++) {
                int s = (int) ((long) i * source / size);
                int e = (int) ((long) (i + 1) * source / size);
                start[i] = Math.min(s, source - 1);
                end[i] = Math.max(e, start[i] + 1);
            }
        }

        @Override
        public void row(int y, byte[] rgb) {
            int first = firstOut[y];
            int last = lastOut[y];
            if (last < first) {
                return; // this source row falls between output samples (only when enlarging)
            }
            for (int ox = 0; ox < size; ox++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int x = colStart[ox], end = colEnd[ox], p = 3 * x; x < end; x++, p += 3) {
                    r += rgb[p] & 0xff;
                    g += rgb[p + 1] & 0xff;
                    b += rgb[p + 2] & 0xff;
                }
                rowSums[3 * ox] = r;
                rowSums[3 * ox + 1] = g;
                rowSums[3 * ox + 2] = b;
            }
            for (int oy = first; oy <= last; oy++) {
                int at = 3 * size * oy;
                for (int i = 0; i < 3 * size; i++) {
                    sums[at + i] += rowSums[i];
                }
            }
        }

        void finish(ByteBuffer dst, int offset) {
            int plane = size * size;
            for (int oy = 0; oy < size; oy++) {
                int rows = rowEnd[oy] - rowStart[oy];
                int at = 3 * size * oy;
                int out = offset + oy * size;
                for (int ox = 0; ox < size; ox++) {
                    int count = rows * (colEnd[ox] - colStart[ox]);
                    int half = count / 2;
                    dst.put(out + ox, (byte) ((sums[at + 3 * ox] + half) / count));
                    dst.put(out + plane + ox, (byte) ((sums[at + 3 * ox + 1] + half) / count));
                    dst.put(out + 2 * plane + ox, (byte) ((sums[at + 3 * ox + 2] + half) / count));
                }
            }
        }
    }
}
