package dev.satflow.core.validate;

import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Episode;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.View;
import java.util.HashSet;
import java.util.Set;

/**
 * The contract every consumer of satflow.scenes.v1 relies on: finite coordinates, positive sizes,
 * unique ids, episodes that refer to views and objects that exist. Physical plausibility
 * (no interpenetration, support) is the generator's own invariant, checked there.
 */
public final class SceneSpecValidator {
    /** Most objects a scene may hold: ten times the generator's limit, far below what would flood a stage. */
    public static final int MAX_OBJECTS = 400;

    private SceneSpecValidator() {}

    public static SceneSpec validate(SceneSpec s) {
        ContractViolation.requireValue(s, "a scene");
        if (s.getSceneId() == null || s.getSceneId().isBlank()) {
            throw new ContractViolation("sceneId", "'" + s.getSceneId() + "'", "must not be empty");
        }
        if (s.getRoom().getFloor().size() < 3) {
            throw new ContractViolation("room.floor", s.getRoom().getFloor().size() + " vertices", "needs at least 3");
        }
        for (int i = 0; i < s.getRoom().getFloor().size(); i++) {
            Vec2 v = s.getRoom().getFloor().get(i);
            finite("room.floor[" + i + "].x", v.getX());
            finite("room.floor[" + i + "].z", v.getZ());
        }
        positive("room.height", s.getRoom().getHeight());
        // an empty room has nothing to ask about; a huge one would stall the renderer and the QA join
        if (s.getObjects().isEmpty()) {
            throw new ContractViolation("objects", "[]", "needs at least one object");
        }
        if (s.getObjects().size() > MAX_OBJECTS) {
            throw new ContractViolation("objects", s.getObjects().size() + " objects", "at most " + MAX_OBJECTS);
        }
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < s.getObjects().size(); i++) {
            SceneObject o = s.getObjects().get(i);
            String p = "objects[" + i + "]";
            if (o.getId() < 1 || !ids.add(o.getId())) {
                throw new ContractViolation(p + ".id", o.getId(), "must be >= 1 and unique in the scene");
            }
            if (o.getCategory().isBlank()) {
                throw new ContractViolation(p + ".category", "''", "must not be empty");
            }
            if (o.getDescription().isBlank()) {
                throw new ContractViolation(p + ".description", "''", "must not be empty");
            }
            finite(p + ".position", o.getPosition());
            finite(p + ".size", o.getSize());
            positive(p + ".size.x", o.getSize().getX());
            positive(p + ".size.y", o.getSize().getY());
            positive(p + ".size.z", o.getSize().getZ());
            finite(p + ".yawDeg", o.getYawDeg());
        }
        if (s.getViews().isEmpty()) {
            throw new ContractViolation("views", "[]", "needs at least one view");
        }
        Set<String> viewIds = new HashSet<>();
        for (int i = 0; i < s.getViews().size(); i++) {
            View v = s.getViews().get(i);
            String p = "views[" + i + "]";
            if (v.getViewId().isBlank() || !viewIds.add(v.getViewId())) {
                throw new ContractViolation(p + ".viewId", "'" + v.getViewId() + "'", "must be non-empty and unique");
            }
            camera(p + ".camera", v.getCamera());
            for (int j = 0; j < v.getPlacements().size(); j++) {
                ObjectPlacement pl = v.getPlacements().get(j);
                String pp = p + ".placements[" + j + "]";
                if (!ids.contains(pl.getObjectId())) {
                    throw new ContractViolation(pp + ".objectId", pl.getObjectId(), "no such object in the scene");
                }
                finite(pp + ".position", pl.getPosition());
                finite(pp + ".yawDeg", pl.getYawDeg());
            }
        }
        for (int i = 0; i < s.getEpisodes().size(); i++) {
            Episode e = s.getEpisodes().get(i);
            String p = "episodes[" + i + "]";
            if (!viewIds.contains(e.getFromView())) {
                throw new ContractViolation(p + ".fromView", "'" + e.getFromView() + "'", "no such view");
            }
            if (e.getToView() != null && !viewIds.contains(e.getToView())) {
                throw new ContractViolation(p + ".toView", "'" + e.getToView() + "'", "no such view");
            }
            if (e.getEgo() != null) {
                finite(p + ".ego.rotateDeg", e.getEgo().getRotateDeg());
                finite(p + ".ego.forwardM", e.getEgo().getForwardM());
                finite(p + ".ego.counterRotateDeg", e.getEgo().getCounterRotateDeg());
            }
            if (e.getObjectMove() != null) {
                if (!ids.contains(e.getObjectMove().getObjectId())) {
                    throw new ContractViolation(p + ".objectMove.objectId", e.getObjectMove().getObjectId(),
                            "no such object in the scene");
                }
                finite(p + ".objectMove.dx", e.getObjectMove().getDx());
                finite(p + ".objectMove.dz", e.getObjectMove().getDz());
            }
            if (e.getProbe() != null) {
                finite(p + ".probe.point", e.getProbe().getPoint());
                finite(p + ".probe.turnDeg", e.getProbe().getTurnDeg());
                if (e.getProbe().getProbeView() != null && !viewIds.contains(e.getProbe().getProbeView())) {
                    throw new ContractViolation(p + ".probe.probeView", "'" + e.getProbe().getProbeView() + "'",
                            "no such view");
                }
            }
        }
        int w = s.getRender().getWidth();
        int h = s.getRender().getHeight();
        if (w < 16 || w > 4096) {
            throw new ContractViolation("render.width", w, "must be in [16, 4096]");
        }
        if (h < 16 || h > 4096) {
            throw new ContractViolation("render.height", h, "must be in [16, 4096]");
        }
        String fmt = s.getRender().getImageFormat();
        if (!"png".equals(fmt) && !"jpeg".equals(fmt)) {
            throw new ContractViolation("render.imageFormat", "'" + fmt + "'", "must be png or jpeg");
        }
        return s;
    }

    private static void camera(String p, CameraPose c) {
        finite(p + ".position", c.getPosition());
        finite(p + ".yawDeg", c.getYawDeg());
        finite(p + ".pitchDeg", c.getPitchDeg());
        if (!(c.getPitchDeg() > -89 && c.getPitchDeg() < 89)) {
            throw new ContractViolation(p + ".pitchDeg", c.getPitchDeg(), "must be in (-89, 89)");
        }
        if (!(c.getFovDeg() >= 10 && c.getFovDeg() <= 150)) {
            throw new ContractViolation(p + ".fovDeg", c.getFovDeg(), "must be in [10, 150]");
        }
    }

    static void finite(String field, Vec3 v) {
        finite(field + ".x", v.getX());
        finite(field + ".y", v.getY());
        finite(field + ".z", v.getZ());
    }

    static void finite(String field, double v) {
        if (!Double.isFinite(v)) {
            throw new ContractViolation(field, v, "must be a finite number");
        }
    }

    static void positive(String field, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new ContractViolation(field, v, "must be a finite number > 0");
        }
    }
}
