package dev.satflow.core.frames;

import java.util.HexFormat;

/** What encoded image bytes are, from their leading bytes: the formats the decoders read (PNG, JPEG). */
public final class ImageFormat {
    private ImageFormat() {}

    /** "png", "jpeg" or null. */
    public static String sniff(byte[] b) {
        if (b == null) {
            return null;
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 13
                && b[5] == 10 && b[6] == 26 && b[7] == 10) {
            return "png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "jpeg";
        }
        return null;
    }

    /** "N bytes starting 6e 6f 74 ..." for error messages. */
    public static String describe(byte[] b) {
        return b == null ? "null" : b.length + " bytes starting " + HexFormat.ofDelimiter(" ").formatHex(b, 0,
                Math.min(8, b.length));
    }
}
