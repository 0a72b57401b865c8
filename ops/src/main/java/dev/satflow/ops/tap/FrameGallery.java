package dev.satflow.ops.tap;

import static dev.satflow.core.html.Html.esc;
import static dev.satflow.core.html.Html.head;
import static dev.satflow.core.html.Html.safe;

import dev.satflow.schema.Box2d;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A contact sheet of rendered frames: per scene its episodes and every view with each visible
 * object's 2D box and description drawn over the image, so a person can judge realism and
 * annotation quality at a glance. Frames whose spec is unknown are shown with object ids only.
 */
public final class FrameGallery {
    private static final String[] COLOURS = {"#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4",
        "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000"};

    private FrameGallery() {}

    /** Writes {@code dir/index.html} and the images under {@code dir/img}; returns the page. */
    public static Path write(Path dir, List<Frame> frames, Map<String, SceneSpec> specs) {
        Map<String, List<Frame>> byScene = new LinkedHashMap<>();
        frames.forEach(f -> byScene.computeIfAbsent(f.getSceneId(), k -> new ArrayList<>()).add(f));
        StringBuilder h = new StringBuilder(head("satflow frames"));
        h.append(String.format(Locale.ROOT, "<h1>Frames</h1><p>%d frames of %d scenes. Boxes: each visible object's "
                + "2D box from the id buffer, labelled with its description and visible fraction.</p>%n",
                frames.size(), byScene.size()));
        try {
            Files.createDirectories(dir.resolve("img"));
            for (Map.Entry<String, List<Frame>> e : byScene.entrySet()) {
                scene(h, dir, e.getKey(), e.getValue(), specs.get(e.getKey()));
            }
            Path page = dir.resolve("index.html");
            Files.writeString(page, h.append("</body></html>\n").toString());
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the frame gallery under " + dir, e);
        }
    }

    private static void scene(StringBuilder h, Path dir, String sceneId, List<Frame> frames, SceneSpec spec)
            throws IOException {
        Map<Integer, SceneObject> objects = new HashMap<>();
        h.append("<h2>").append(esc(sceneId)).append("</h2>\n");
        if (spec != null) {
            spec.getObjects().forEach(o -> objects.put(o.getId(), o));
            h.append(String.format(Locale.ROOT, "<p class=small>split %s · %s room · %d objects · generator %s · "
                    + "seed %d</p>%n", esc(spec.getSplit()), esc(spec.getRoom().getShape()), objects.size(),
                    esc(spec.getGeneratorVersion()), spec.getSeed()));
            h.append("<p class=small>");
            for (Episode ep : spec.getEpisodes()) {
                h.append("<b>").append(esc(ep.getKind())).append("</b> ").append(esc(episodeText(ep, objects)))
                        .append("; ");
            }
            h.append("</p>\n");
        }
        h.append("<div class=row>\n");
        for (Frame f : frames) {
            String name = safe(f.getSceneId() + "-" + f.getViewId()) + "." + ext(f.getImageFormat());
            Files.write(dir.resolve("img").resolve(name), bytes(f.getImage()));
            int w = f.getIntrinsics().getWidth();
            int ht = f.getIntrinsics().getHeight();
            h.append("<div class=\"card wide\"><div class=frame><img class=wide src=\"img/").append(name)
                    .append("\" width=").append(w).append(" height=").append(ht).append(">");
            h.append(String.format(Locale.ROOT, "<svg width=%d height=%d viewBox=\"0 0 %d %d\">", w, ht, w, ht));
            int k = 0;
            for (ObjectAnnotation a : f.getObjects()) {
                Box2d b = a.getBox();
                if (b == null || a.getVisiblePixels() == 0) {
                    continue;
                }
                String c = COLOURS[k++ % COLOURS.length];
                SceneObject o = objects.get(a.getObjectId());
                String label = (o != null ? o.getDescription() : "#" + a.getObjectId())
                        + String.format(Locale.ROOT, " %.0f%%", 100 * a.getVisibleFraction());
                h.append(String.format(Locale.ROOT, "<rect x=%d y=%d width=%d height=%d fill=none stroke=\"%s\" "
                        + "stroke-width=1.5 /><text x=%d y=%d font-size=10 fill=\"%s\" stroke=#000 stroke-width=0.3>"
                        + "%s</text>", b.getXMin(), b.getYMin(), b.getXMax() - b.getXMin() + 1,
                        b.getYMax() - b.getYMin() + 1, c, b.getXMin() + 2, Math.max(10, b.getYMin() + 10), c,
                        esc(label)));
            }
            h.append("</svg></div>");
            h.append(String.format(Locale.ROOT, "<p class=small><b>%s</b> (%s) · yaw %.1f° pitch %.1f° fov %.0f° · "
                    + "%d objects drawn · %.1f ms · %d bytes</p></div>%n", esc(f.getViewId()), esc(f.getRole()),
                    f.getCamera().getYawDeg(), f.getCamera().getPitchDeg(), f.getCamera().getFovDeg(),
                    f.getObjects().stream().filter(a -> a.getVisiblePixels() > 0).count(), f.getRenderMillis(),
                    f.getImage().remaining()));
        }
        h.append("</div>\n");
    }

    private static String episodeText(Episode ep, Map<Integer, SceneObject> objects) {
        List<String> parts = new ArrayList<>();
        if (ep.getEgo() != null) {
            parts.add(String.format(Locale.ROOT, "rotate %.0f°, forward %.2f m, rotate %.0f°", ep.getEgo().getRotateDeg(),
                    ep.getEgo().getForwardM(), ep.getEgo().getCounterRotateDeg()));
        }
        if (ep.getObjectMove() != null) {
            SceneObject o = objects.get(ep.getObjectMove().getObjectId());
            parts.add(String.format(Locale.ROOT, "move %s by (%.2f, %.2f) m",
                    o == null ? "#" + ep.getObjectMove().getObjectId() : o.getDescription(),
                    ep.getObjectMove().getDx(), ep.getObjectMove().getDz()));
        }
        if (ep.getProbe() != null) {
            parts.add(String.format(Locale.ROOT, "probe at (%.2f, %.2f), turn %.0f°", ep.getProbe().getPoint().getX(),
                    ep.getProbe().getPoint().getZ(), ep.getProbe().getTurnDeg()));
        }
        return parts.isEmpty() ? ep.getFromView() : String.join(", ", parts);
    }

    static String ext(String format) {
        return "jpeg".equalsIgnoreCase(format) ? "jpg" : "png";
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
