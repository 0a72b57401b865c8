package dev.satflow.producers.generate;

import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.producers.catalog.CategorySpec.Placement;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Physical plausibility of a generated scene, checked on the spec itself (its float fields, as
 * every consumer reads them): objects inside the room, resting on the floor or on a support,
 * no two solids overlapping (in every view, moved objects included), descriptions unique, and
 * every camera standing in free floor space. The generator emits nothing that fails here.
 */
public final class SceneInvariants {
    /** Most views one scene may ask the renderer for. */
    public static final int MAX_VIEWS = 5;
    private static final double EPS = 1e-3;

    private SceneInvariants() {}

    /** What is wrong with the spec, one line per problem; empty when it is plausible. */
    public static List<String> violations(SceneSpec spec, Catalog catalog) {
        List<String> out = new ArrayList<>();
        FloorPlan plan = new FloorPlan(spec.getRoom().getFloor());
        double height = spec.getRoom().getHeight();
        Map<Integer, SceneObject> byId = new HashMap<>();
        Set<String> descriptions = new HashSet<>();
        for (SceneObject o : spec.getObjects()) {
            byId.put(o.getId(), o);
            if (!descriptions.add(o.getDescription())) {
                out.add("object " + o.getId() + ": description '" + o.getDescription() + "' is not unique");
            }
            if (catalog.find(o.getCategory()).isEmpty()) {
                out.add("object " + o.getId() + ": unknown category '" + o.getCategory() + "'");
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (SceneObject o : spec.getObjects()) {
            CategorySpec c = catalog.get(o.getCategory());
            OrientedBox b = OrientedBox.of(o);
            String name = "object " + o.getId() + " (" + o.getDescription() + ")";
            if (!plan.containsFootprint(b.footprint(0))) {
                out.add(name + ": footprint leaves the room");
            }
            if (b.bottom() < -EPS || b.top() > height + EPS) {
                out.add(name + ": spans y " + b.bottom() + ".." + b.top() + ", room is 0.." + height);
            }
            if (o.getSupportId() == null) {
                boolean onFloor = Math.abs(b.bottom()) < EPS;
                boolean onWall = c.placement() == Placement.ON_WALL && plan.distanceToWalls(b.center().x(),
                        b.center().z()) < b.size().z() / 2 + 0.02;
                if (!onFloor && !onWall) {
                    out.add(name + ": neither on the floor nor hung on a wall (bottom " + b.bottom() + ")");
                }
            } else {
                SceneObject s = byId.get(o.getSupportId());
                if (s == null) {
                    out.add(name + ": support " + o.getSupportId() + " does not exist");
                    continue;
                }
                CategorySpec sc = catalog.get(s.getCategory());
                OrientedBox sb = OrientedBox.of(s);
                double top = sc.surfaceY(sb.center().y(), sb.size().y());
                if (!sc.canSupport() || Math.abs(b.bottom() - top) > 0.005 || !Furnisher.withinTop(b, sb)) {
                    out.add(name + ": does not rest on its support " + s.getId() + " (bottom " + b.bottom()
                            + ", support top " + top + ")");
                }
            }
        }
        for (View v : spec.getViews()) {
            Map<Integer, OrientedBox> boxes = new HashMap<>();
            for (SceneObject o : spec.getObjects()) {
                boxes.put(o.getId(), OrientedBox.of(o));
            }
            for (ObjectPlacement p : v.getPlacements()) {
                OrientedBox moved = new OrientedBox(Vec3d.of(p.getPosition()), boxes.get(p.getObjectId()).size(),
                        p.getYawDeg());
                boxes.put(p.getObjectId(), moved);
                if (!plan.containsFootprint(moved.footprint(0))) {
                    out.add("view " + v.getViewId() + ": moved object " + p.getObjectId() + " leaves the room");
                }
            }
            List<SceneObject> objs = spec.getObjects();
            for (int i = 0; i < objs.size(); i++) {
                for (int j = i + 1; j < objs.size(); j++) {
                    SceneObject a = objs.get(i);
                    SceneObject b = objs.get(j);
                    boolean ca = catalog.get(a.getCategory()).isFloorCovering();
                    boolean cb = catalog.get(b.getCategory()).isFloorCovering();
                    if (ca == cb && boxes.get(a.getId()).intersects(boxes.get(b.getId()), 0)) {
                        out.add("view " + v.getViewId() + ": objects " + a.getId() + " (" + a.getDescription()
                                + ") and " + b.getId() + " (" + b.getDescription() + ") interpenetrate");
                    }
                }
            }
            Vec3d eye = Vec3d.of(v.getCamera().getPosition());
            if (!plan.containsWithClearance(eye.x(), eye.z(), 0.15)) {
                out.add("view " + v.getViewId() + ": camera at " + eye + " is not on free floor inside the room");
            }
            for (SceneObject o : objs) {
                CategorySpec c = catalog.get(o.getCategory());
                OrientedBox b = boxes.get(o.getId());
                if (Furnisher.blocksWalking(c) && new OrientedBox(b.center(), new Vec3d(b.size().x() + 0.3, b.size().y(),
                        b.size().z() + 0.3), b.yawDeg()).footprintContains(eye.x(), eye.z())) {
                    out.add("view " + v.getViewId() + ": camera stands inside object " + o.getId() + " ("
                            + o.getDescription() + ")");
                }
            }
        }
        if (spec.getViews().size() > MAX_VIEWS) {
            out.add(spec.getViews().size() + " views, at most " + MAX_VIEWS);
        }
        return out;
    }
}
