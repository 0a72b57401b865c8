package dev.satflow.qa.questions;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scene as the question templates need it: per view, the camera, the objects' poses in that
 * view (the spec's, overridden by the view's placements) and the renderer's annotations. Two
 * sources of truth side by side: geometry from the spec, pixels from the frame.
 */
final class SceneViews {
    final SceneSpec spec;
    final Map<Integer, SceneObject> objects = new LinkedHashMap<>();
    private final Map<String, ViewData> views = new LinkedHashMap<>();

    SceneViews(SceneSpec spec, List<SourcedFrame> frames) {
        this.spec = spec;
        spec.getObjects().stream().sorted((a, b) -> Integer.compare(a.getId(), b.getId()))
                .forEach(o -> objects.put(o.getId(), o));
        Map<String, SourcedFrame> byView = new HashMap<>();
        for (SourcedFrame f : frames) {
            byView.put(f.frame().getViewId(), f);
        }
        for (View v : spec.getViews()) {
            SourcedFrame f = byView.get(v.getViewId());
            if (f == null) {
                throw new IllegalArgumentException("scene " + spec.getSceneId() + ": no frame for view " + v.getViewId());
            }
            views.put(v.getViewId(), new ViewData(v, f, this));
        }
    }

    ViewData view(String viewId) {
        ViewData v = views.get(viewId);
        if (v == null) {
            throw new IllegalArgumentException("scene " + spec.getSceneId() + " has no view '" + viewId + "'");
        }
        return v;
    }

    List<ViewData> views() {
        return new ArrayList<>(views.values());
    }

    String describe(int objectId) {
        return objects.get(objectId).getDescription();
    }

    /** One rendered view: pose, object positions as drawn in it, and the renderer's annotations. */
    static final class ViewData {
        final View view;
        final SourcedFrame source;
        final Camera camera;
        final int width;
        final int height;
        private final Map<Integer, Vec3d> positions = new HashMap<>();
        private final Map<Integer, ObjectAnnotation> annotations = new HashMap<>();

        ViewData(View view, SourcedFrame source, SceneViews scene) {
            this.view = view;
            this.source = source;
            Frame f = source.frame();
            this.width = f.getIntrinsics().getWidth();
            this.height = f.getIntrinsics().getHeight();
            this.camera = Camera.of(view.getCamera(), width, height);
            for (SceneObject o : scene.objects.values()) {
                positions.put(o.getId(), Vec3d.of(o.getPosition()));
            }
            for (ObjectPlacement p : view.getPlacements()) {
                positions.put(p.getObjectId(), Vec3d.of(p.getPosition()));
            }
            for (ObjectAnnotation a : f.getObjects()) {
                annotations.put(a.getObjectId(), a);
            }
        }

        String id() {
            return view.getViewId();
        }

        Frame frame() {
            return source.frame();
        }

        Vec3d position(int objectId) {
            return positions.get(objectId);
        }

        /** SAT's egocentric frame of this view's camera: x' right, y' height, z' forward (pitch ignored). */
        Vec3d ego(int objectId) {
            return camera.toEgo(positions.get(objectId));
        }

        /** Objects the frame annotates that the spec knows, ascending. */
        List<Integer> frameObjectIds() {
            return annotations.keySet().stream().filter(positions::containsKey).sorted().toList();
        }

        ObjectAnnotation annotation(int objectId) {
            return annotations.get(objectId);
        }

        int visiblePixels(int objectId) {
            ObjectAnnotation a = annotations.get(objectId);
            return a == null ? 0 : a.getVisiblePixels();
        }

        /** Box area of what is visible, pixels (0 when not drawn). */
        int boxArea(int objectId) {
            ObjectAnnotation a = annotations.get(objectId);
            if (a == null || a.getBox() == null) {
                return 0;
            }
            var b = a.getBox();
            return (b.getXMax() - b.getXMin() + 1) * (b.getYMax() - b.getYMin() + 1);
        }

        int pixels() {
            return width * height;
        }
    }
}
