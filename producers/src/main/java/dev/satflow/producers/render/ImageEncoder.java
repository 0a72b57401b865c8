package dev.satflow.producers.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes top-down RGB frames as "png" (the fast {@link PngEncoder}) or "jpeg" (ImageIO). Thread-safe. */
public final class ImageEncoder {
    private final PngEncoder png;
    private final float jpegQuality;

    public ImageEncoder(PngEncoder png, float jpegQuality) {
        this.png = png;
        this.jpegQuality = jpegQuality;
    }

    /** Normalises a RenderSettings.imageFormat ("png", "jpeg", "jpg", any case). */
    public static String normaliseFormat(String format) {
        String f = format == null || format.isBlank() ? "png" : format.trim().toLowerCase(Locale.ROOT);
        return switch (f) {
            case "png" -> "png";
            case "jpeg", "jpg" -> "jpeg";
            default -> throw new IllegalArgumentException("unsupported image format '" + format + "' (png | jpeg)");
        };
    }

    public byte[] encode(String format, byte[] rgb, int width, int height) {
        return switch (normaliseFormat(format)) {
            case "jpeg" -> jpeg(rgb, width, height);
            default -> png.encode(rgb, width, height);
        };
    }

    private byte[] jpeg(byte[] rgb, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO JPEG writer");
        }
        ImageWriter writer = writers.next(); // writers are not thread-safe: one per call
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(rgb.length / 8);
                MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(jpegQuality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }
}
