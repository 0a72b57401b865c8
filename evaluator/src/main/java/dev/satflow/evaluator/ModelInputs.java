package dev.satflow.evaluator;

import dev.satflow.trainer.data.ImageDecoder;
import dev.satflow.trainer.data.TrainingExample;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Decodes a question's images once, at the model's input size with their marks drawn, exactly as the
 * model's batch assembler would ({@link ImageDecoder}: marks painted at full resolution, then box-filtered),
 * and hands them back as small lossless PNGs without marks. The assembler then decodes those at the same
 * size, which its box filter leaves untouched, so the model sees bit-identical pixels; but every rotation of
 * the options (circular evaluation asks C of them) now costs a 64-pixel decode instead of a full render's.
 */
public final class ModelInputs {
    private final int size;
    private final ThreadLocal<ImageDecoder> decoders;

    public ModelInputs(int size) {
        this.size = size;
        this.decoders = ThreadLocal.withInitial(() -> new ImageDecoder(size));
    }

    public int size() {
        return size;
    }

    /** Every example at input size, decoded on every available processor; order kept. */
    public List<TrainingExample> shrinkAll(List<TrainingExample> examples) {
        TrainingExample[] out = new TrainingExample[examples.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = shrink(examples.get(i)));
        return List.of(out);
    }

    /**
     * The example with its images decoded to input size (marks drawn) and re-encoded; no marks left to draw.
     * Grounding boxes are fractions of the image and stay as they are.
     */
    public TrainingExample shrink(TrainingExample e) {
        ImageDecoder decoder = decoders.get();
        ByteBuffer chw = ByteBuffer.allocate(decoder.imageBytes());
        List<byte[]> images = new ArrayList<>(e.images().size());
        for (int k = 0; k < e.images().size(); k++) {
            try {
                decoder.decodeInto(e.images().get(k), e.marks(), k, chw, 0);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.qaId() + ": image " + k + ": " + ex.getMessage(), ex);
            }
            images.add(png(chw.array(), size));
        }
        return new TrainingExample(e.qaId(), e.family(), e.questionType(), e.question(), e.choices(),
                e.correctIndex(), images, List.of(), e.grounding(), e.choiceRoles());
    }

    /** CHW planes (R, G, B) of a size x size image as an 8-bit RGB PNG, rows unfiltered, fast deflate. */
    static byte[] png(byte[] chw, int size) {
        int plane = size * size;
        byte[] raw = new byte[size * (1 + 3 * size)];
        for (int y = 0, at = 0; y < size; y++) {
            raw[at++] = 0; // filter: none
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                raw[at++] = chw[i];
                raw[at++] = chw[plane + i];
                raw[at++] = chw[2 * plane + i];
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 2 + 64);
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            idat.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(size).putInt(size).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
