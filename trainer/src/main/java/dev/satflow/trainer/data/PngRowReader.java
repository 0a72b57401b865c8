package dev.satflow.trainer.data;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Minimal streaming PNG reader for the formats renderers write: 8-bit, non-interlaced, grey / grey+alpha /
 * RGB / RGBA / palette. Rows are inflated and unfiltered one at a time into a reused buffer and handed to a
 * {@link RowSink}, so a decode allocates nothing and never materialises the full image. Everything else
 * (16-bit, sub-byte depths, interlacing) is reported as unsupported and left to ImageIO.
 *
 * <p>Not thread-safe: one instance per decoding thread.
 */
final class PngRowReader {

    /** Receives each decoded row as RGB triplets (alpha dropped, palette expanded). */
    interface RowSink {
        /** Called once before the rows, with the image size. */
        void begin(int width, int height);

        /** {@code rgb} holds {@code width} pixels, 3 bytes each, from index 0. */
        void row(int y, byte[] rgb);
    }

    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504C5445;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;

    private final Inflater inflater = new Inflater();
    private byte[] current = new byte[0];
    private byte[] previous = new byte[0];
    private byte[] rgb = new byte[0];
    private final byte[] palette = new byte[3 * 256];

    /**
     * Decodes {@code png} into {@code sink}. Returns false, having called nothing on the sink, when the image
     * is valid-looking but in a format this reader leaves to ImageIO.
     *
     * @throws IllegalArgumentException for corrupt data
     */
    boolean read(byte[] png, RowSink sink) {
        if (png.length < 33 || readLong(png, 0) != SIGNATURE || readInt(png, 12) != IHDR) {
            throw new IllegalArgumentException("not a PNG (bad signature or header)");
        }
        int width = readInt(png, 16);
        int height = readInt(png, 20);
        int bitDepth = png[24] & 0xff;
        int colourType = png[25] & 0xff;
        int interlace = png[28] & 0xff;
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty PNG " + width + "x" + height);
        }
        int channels = switch (colourType) {
            case 0, 3 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> -1;
        };
        if (bitDepth != 8 || interlace != 0 || channels < 0) {
            return false;
        }
        int stride = Math.multiplyExact(width, channels);
        if (colourType == 3) {
            Arrays.fill(palette, (byte) 0);
        }
        ensureRowBuffers(stride, width);

        // Walk chunks: read the palette, find IDAT data, stop at IEND.
        int pos = 8;
        boolean begun = false;
        int y = 0;
        int rowFill = 0;
        inflater.reset();
        while (pos + 8 <= png.length) {
            int length = readInt(png, pos);
            int type = readInt(png, pos + 4);
            int data = pos + 8;
            if (length < 0 || data + (long) length > png.length) {
                throw new IllegalArgumentException("truncated PNG chunk");
            }
            if (type == PLTE) {
                System.arraycopy(png, data, palette, 0, Math.min(length, palette.length));
            } else if (type == IDAT && y < height) {
                if (!begun) {
                    sink.begin(width, height);
                    begun = true;
                }
                inflater.setInput(png, data, length);
                try {
                    while (y < height) {
                        int n = inflater.inflate(current, rowFill, stride + 1 - rowFill);
                        rowFill += n;
                        if (rowFill == stride + 1) {
                            unfilter(current, previous, stride, channels);
                            sink.row(y, toRgb(current, width, colourType));
                            byte[] swap = previous;
                            previous = current;
                            current = swap;
                            rowFill = 0;
                            y++;
                        } else if (n == 0) {
                            if (inflater.needsInput()) {
                                break; // continue with the next IDAT chunk
                            }
                            throw new IllegalArgumentException("PNG image data ends early at row " + y);
                        }
                    }
                } catch (DataFormatException e) {
                    throw new IllegalArgumentException("corrupt PNG image data: " + e.getMessage(), e);
                }
            } else if (type == IEND) {
                break;
            }
            pos = data + length + 4; // skip the CRC
        }
        if (y < height) {
            throw new IllegalArgumentException("PNG has " + y + " of " + height + " rows");
        }
        return true;
    }

    private void ensureRowBuffers(int stride, int width) {
        if (current.length < stride + 1) {
            current = new byte[stride + 1];
            previous = new byte[stride + 1];
        }
        // The row above the first one is all zeros by definition.
        Arrays.fill(previous, 0, stride + 1, (byte) 0);
        if (rgb.length < 3 * width) {
            rgb = new byte[3 * width];
        }
    }

    /** Reverses the PNG filter in place; row[0] is the filter type, pixels start at row[1]. */
    private static void unfilter(byte[] row, byte[] above, int stride, int bpp) {
        int filter = row[0];
        switch (filter) {
            case 0 -> {
            }
            case 1 -> {
                for (int i = 1 + bpp; i <= stride; i++) {
                    row[i] += row[i - bpp];
                }
            }
            case 2 -> {
                for (int i = 1; i <= stride; i++) {
                    row[i] += above[i];
                }
            }
            case 3 -> {
                for (int i = 1; i <= stride; i++) {
                    int left = i > bpp ? row[i - bpp] & 0xff : 0;
                    row[i] += (byte) ((left + (above[i] & 0xff)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 1; i <= stride; i++) {
                    int a = i > bpp ? row[i - bpp] & 0xff : 0;
                    int b = above[i] & 0xff;
                    int c = i > bpp ? above[i - bpp] & 0xff : 0;
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    int predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
                    row[i] += (byte) predictor;
                }
            }
            default -> throw new IllegalArgumentException("unknown PNG filter type " + filter);
        }
    }

    private byte[] toRgb(byte[] row, int width, int colourType) {
        byte[] out = rgb;
        switch (colourType) {
            case 2 -> System.arraycopy(row, 1, out, 0, 3 * width);
            case 6 -> {
                for (int x = 0, s = 1; x < width; x++, s += 4) {
                    out[3 * x] = row[s];
                    out[3 * x + 1] = row[s + 1];
                    out[3 * x + 2] = row[s + 2];
                }
            }
            case 0, 4 -> {
                int step = colourType == 0 ? 1 : 2;
                for (int x = 0, s = 1; x < width; x++, s += step) {
                    byte v = row[s];
                    out[3 * x] = v;
                    out[3 * x + 1] = v;
                    out[3 * x + 2] = v;
                }
            }
            default -> { // 3: palette
                for (int x = 0; x < width; x++) {
                    int entry = 3 * (row[1 + x] & 0xff);
                    out[3 * x] = palette[entry];
                    out[3 * x + 1] = palette[entry + 1];
                    out[3 * x + 2] = palette[entry + 2];
                }
            }
        }
        return out;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static long readLong(byte[] b, int at) {
        return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xffffffffL);
    }
}
