package dev.satflow.ops.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Image files beside a JSON export, under {@code images/<scene>/}: a question's marked image is
 * {@code <qa key>.<index>.png}; a frame shown without marks is {@code <view key>.png}, written once for all the
 * questions that show it (unless a later question shows different pixels under the same view id: that one then
 * gets its own file).
 */
final class ImageFiles {
    private final OutputDir out;
    private final Map<String, Long> plainFrames = new HashMap<>();
    long files;
    long bytes;

    ImageFiles(OutputDir out) {
        this.out = out;
    }

    /** Writes the question's images that are not there yet; returns their paths relative to the export directory. */
    List<String> write(BaseWriter.Prepared p) throws IOException {
        List<String> paths = new ArrayList<>(p.images().size());
        String dir = "images/" + p.scene() + "/";
        for (BaseWriter.Img im : p.images()) {
            String own = dir + p.key() + "." + im.index() + "." + im.ext();
            String rel = own;
            if (im.plainFrame()) {
                String shared = dir + im.viewKey() + "." + im.ext();
                long fp = fingerprint(im.bytes());
                Long seen = plainFrames.putIfAbsent(shared, fp);
                if (seen == null) {
                    rel = shared;
                } else if (seen == fp) {
                    paths.add(shared);
                    continue;
                }
            }
            OutputDir.write(out.file(rel), im.bytes());
            files++;
            bytes += im.bytes().length;
            paths.add(rel);
        }
        return paths;
    }

    private static long fingerprint(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b);
        return (crc.getValue() << 32) ^ b.length;
    }
}
