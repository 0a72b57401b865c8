package dev.satflow.producers.render;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small, fast PNG writer for rendered frames: 8-bit RGB, one IDAT, one filter for every row,
 * java.util.zip at a chosen level (1 by default: rendering is cheap, deflate is the bottleneck).
 * Thread-safe: all state is per call.
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
        int stride = rowBytes + 1;
        byte[] filtered = new byte[stride * height];
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
        byte[] compressed = deflate(filtered);
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length + 64);
        out.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour RGB
        chunk(out, "IHDR", header, header.length);
        chunk(out, "IDAT", compressed, compressed.length);
        chunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    private byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buf = new byte[Math.max(1024, data.length / 4)];
            int n = 0;
            while (!deflater.finished()) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                n += deflater.deflate(buf, n, buf.length - n);
            }
            return java.util.Arrays.copyOf(buf, n);
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
        byte[] len = new byte[4];
        putInt(len, 0, length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.write(data, 0, length);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, length);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
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
