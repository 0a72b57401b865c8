package dev.satflow.producers.render;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small, fast PNG writer for rendered frames: 8-bit RGB, one IDAT, one filter for every row,
 * java.util.zip at a chosen level (1 by default: rendering is cheap, deflate is the bottleneck).
 * Thread-safe: working buffers and the Deflater are per thread.
 */
public final class PngEncoder {
    /** PNG row filters offered here (PNG filter type numbers 0, 1, 2). */
    public enum Filter {
        NONE(0), SUB(1), UP(2);

        final int code;

        Filter(int code) {
            this.code = code;
        }
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final int level;
    private final Filter filter;

    public PngEncoder(int level, Filter filter) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("deflate level " + level + " outside 0..9");
        }
        this.level = level;
        this.filter = filter;
    }

    public int level() {
        return level;
    }

    public Filter filter() {
        return filter;
    }

    /** @param rgb top-down rows of width*3 bytes */
    public byte[] encode(byte[] rgb, int width, int height) {
        int rowBytes = width * 3;
        if (rgb.length != rowBytes * height) {
            throw new IllegalArgumentException("expected " + rowBytes * height + " RGB bytes, got " + rgb.length);
        }
        Work work = WORK.get();
        int stride = rowBytes + 1;
        byte[] filtered = work.filtered(stride * height);
        for (int y = 0; y < height; y++) {
            int src = y * rowBytes;
            int dst = y * stride;
            filtered[dst++] = (byte) filter.code;
            switch (filter) {
                case NONE -> System.arraycopy(rgb, src, filtered, dst, rowBytes);
                case SUB -> {
                    System.arraycopy(rgb, src, filtered, dst, 3);
                    for (int i = 3; i < rowBytes; i++) {
                        filtered[dst + i] = (byte) (rgb[src + i] - rgb[src + i - 3]);
                    }
                }
                case UP -> {
                    if (y == 0) {
                        System.arraycopy(rgb, src, filtered, dst, rowBytes);
                    } else {
                        int above = src - rowBytes;
                        for (int i = 0; i < rowBytes; i++) {
                            filtered[dst + i] = (byte) (rgb[src + i] - rgb[above + i]);
                        }
                    }
                }
            }
        }
        int compressed = work.deflate(level, filtered, stride * height);
        // signature, IHDR (4 + 4 + 13 + 4), IDAT (4 + 4 + data + 4), IEND (4 + 4 + 4): written once, in place
        byte[] out = new byte[SIGNATURE.length + 25 + 12 + compressed + 12];
        System.arraycopy(SIGNATURE, 0, out, 0, SIGNATURE.length);
        int at = SIGNATURE.length;
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour RGB
        at = chunk(out, at, IHDR, header, header.length);
        at = chunk(out, at, IDAT, work.deflated, compressed);
        chunk(out, at, IEND, header, 0);
        return out;
    }

    private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDAT = "IDAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IEND = "IEND".getBytes(StandardCharsets.US_ASCII);

    /**
     * Per encoding thread: one Deflater (zlib's set-up and its ~300 KB of state per image was
     * measurable) and the filtered and deflated buffers, grown to the largest image seen.
     */
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private static final class Work {
        private Deflater deflater;
        private int deflaterLevel = -1;
        private byte[] filtered = new byte[0];
        private byte[] deflated = new byte[1024];

        byte[] filtered(int size) {
            if (filtered.length < size) {
                filtered = new byte[size];
            }
            return filtered;
        }

        /** Deflates data[0, length) into {@link #deflated}; returns the compressed length. */
        int deflate(int level, byte[] data, int length) {
            if (deflaterLevel != level) {
                if (deflater != null) {
                    deflater.end();
                }
                deflater = new Deflater(level);
                deflaterLevel = level;
            } else {
                deflater.reset();
            }
            deflater.setInput(data, 0, length);
            deflater.finish();
            int n = 0;
            while (!deflater.finished()) {
                if (n == deflated.length) {
                    deflated = Arrays.copyOf(deflated, deflated.length * 2);
                }
                n += deflater.deflate(deflated, n, deflated.length - n);
            }
            return n;
        }
    }

    /** Writes one chunk (length, type, data, CRC of type and data) at {@code at}; returns the end. */
    private static int chunk(byte[] out, int at, byte[] type, byte[] data, int length) {
        putInt(out, at, length);
        System.arraycopy(type, 0, out, at + 4, 4);
        System.arraycopy(data, 0, out, at + 8, length);
        CRC32 crc = new CRC32();
        crc.update(out, at + 4, 4 + length);
        putInt(out, at + 8 + length, (int) crc.getValue());
        return at + 12 + length;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Override
    public String toString() {
        return "PNG(deflate " + level + ", filter " + filter + ")";
    }
}
