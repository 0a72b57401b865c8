package dev.satflow.producers.render;

import dev.satflow.core.geom.Mat4;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.producers.catalog.Part;
import dev.satflow.producers.catalog.Primitive;
import dev.satflow.schema.Light;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.Rgb;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the GL side needs from a spec, resolved once per scene and independent of GL:
 * the room mesh and materials, the lights, and each object's parts with their materials. Views
 * then only pick poses ({@link #objectsFor(View)}).
 *
 * <p>Lights: the first {@value #MAX_LIGHTS} are used, later ones ignored. Point-light falloff is
 * {@code intensity / (1 + 0.09 d + 0.032 d^2)} (d in metres), directional lights are unattenuated,
 * and an ambient term of 0.22 tinted by the lights' hue lifts unlit sides. A spec without lights
 * gets one shadow-casting white lamp under the ceiling's centre.
 */
final class SceneModel {
    static final int MAX_LIGHTS = 3;

    private static final SurfaceMaterial DEFAULT_FLOOR = SurfaceMaterial.ofSrgb(0.55, 0.48, 0.40, 0.10, 24);
    private static final SurfaceMaterial DEFAULT_WALL = SurfaceMaterial.ofSrgb(0.85, 0.84, 0.80, 0.03, 8);
    private static final SurfaceMaterial DEFAULT_CEILING = SurfaceMaterial.ofSrgb(0.95, 0.95, 0.95, 0.0, 4);
    private static final SurfaceMaterial TRIM = SurfaceMaterial.ofSrgb(0.95, 0.94, 0.90, 0.15, 32);
    private static final SurfaceMaterial DOOR = SurfaceMaterial.ofSrgb(0.50, 0.33, 0.20, 0.15, 24);
    private static final SurfaceMaterial HANDLE = SurfaceMaterial.ofSrgb(0.80, 0.78, 0.72, 0.9, 96);
    /** The outside seen through a window: a pale sky that lights itself. */
    private static final SurfaceMaterial GLASS = SurfaceMaterial.ofSrgb(0.72, 0.85, 0.97, 0.6, 128).withEmissive(0.9);

    /** A light as the shader takes it: position (point) or direction towards the light, linear colour x intensity. */
    record ShaderLight(boolean point, Vec3d vector, float r, float g, float b) {}

    record PartTemplate(Primitive primitive, Vec3d center, Vec3d size, SurfaceMaterial material) {}

    /** One part placed in the world; {@code normalMatrix} is column-major 3x3. */
    record PartDraw(Primitive primitive, float[] model, float[] normalMatrix, SurfaceMaterial material) {}

    /** One object in one view, with a bounding sphere for shadow-face culling. */
    record ObjectDraw(int objectId, List<PartDraw> parts, Vec3d center, double radius) {}

    private final SceneSpec spec;
    private final RoomGeometry.RoomMesh room;
    private final Map<RoomGeometry.Surface, SurfaceMaterial> roomMaterials;
    private final List<SceneObject> objects;
    private final List<List<PartTemplate>> partsByObject;
    private final Map<Integer, Integer> indexById;
    private final List<ShaderLight> lights;
    private final int shadowLight;

    private SceneModel(SceneSpec spec, Catalog catalog) {
        this.spec = spec;
        this.room = RoomGeometry.build(spec.getRoom());
        Map<RoomGeometry.Surface, SurfaceMaterial> m = new HashMap<>();
        m.put(RoomGeometry.Surface.FLOOR, SurfaceMaterial.of(spec.getRoom().getFloorMaterial(), DEFAULT_FLOOR));
        m.put(RoomGeometry.Surface.WALL, SurfaceMaterial.of(spec.getRoom().getWallMaterial(), DEFAULT_WALL));
        m.put(RoomGeometry.Surface.CEILING, SurfaceMaterial.of(spec.getRoom().getCeilingMaterial(), DEFAULT_CEILING));
        m.put(RoomGeometry.Surface.TRIM, TRIM);
        m.put(RoomGeometry.Surface.DOOR, DOOR);
        m.put(RoomGeometry.Surface.HANDLE, HANDLE);
        m.put(RoomGeometry.Surface.GLASS, GLASS);
        this.roomMaterials = Map.copyOf(m);

        this.objects = List.copyOf(spec.getObjects());
        this.partsByObject = new ArrayList<>();
        this.indexById = new HashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            CategorySpec category = catalog.find(o.getCategory())
                    .orElseThrow(() -> new UnknownCategoryException(spec.getSceneId(), o.getId(), o.getCategory()));
            List<PartTemplate> parts = new ArrayList<>();
            for (Part p : category.parts()) {
                parts.add(new PartTemplate(p.primitive(), p.center(), p.size(), ObjectPalette.material(o, p.slot())));
            }
            partsByObject.add(List.copyOf(parts));
            if (indexById.put(o.getId(), i) != null) {
                throw new IllegalArgumentException("object id " + o.getId() + " appears twice in scene '"
                        + spec.getSceneId() + "'");
            }
            if (o.getId() <= 0) {
                throw new IllegalArgumentException("object id must be >= 1 (0 is the room), got " + o.getId()
                        + " in scene '" + spec.getSceneId() + "'");
            }
        }

        List<ShaderLight> ls = new ArrayList<>();
        int shadow = -1;
        for (Light l : spec.getRoom().getLights()) {
            if (ls.size() == MAX_LIGHTS) {
                break;
            }
            Vec3d v = Vec3d.of(l.getPosition());
            boolean point = !"directional".equalsIgnoreCase(l.getKind());
            if (!point) {
                v = v.normalized();
            }
            Rgb c = l.getColor();
            float k = l.getIntensity();
            if (shadow < 0 && l.getCastsShadows()) {
                shadow = ls.size();
            }
            ls.add(new ShaderLight(point, v, SurfaceMaterial.toLinear(c.getR()) * k,
                    SurfaceMaterial.toLinear(c.getG()) * k, SurfaceMaterial.toLinear(c.getB()) * k));
        }
        if (ls.isEmpty()) {
            // a spec without lights still gets a picture: one ceiling lamp over the room's centre
            Vec3d centre = room.min().plus(room.max()).times(0.5);
            ls.add(new ShaderLight(true, new Vec3d(centre.x(), room.max().y() * 0.9, centre.z()), 1, 1, 1));
            shadow = 0;
        }
        if (spec.getRender().getShadows() && shadow >= 0) {
            // the shader treats light 0 as the shadowed one (no per-pixel branching on an index)
            ls.add(0, ls.remove(shadow));
            this.shadowLight = 0;
        } else {
            this.shadowLight = -1;
        }
        this.lights = List.copyOf(ls);
    }

    /**
     * Resolves a spec against a catalog.
     *
     * @throws UnknownCategoryException naming the category and object id when the catalog lacks it
     * @throws IllegalArgumentException for other contract violations (bad floor polygon, duplicate ids...)
     */
    static SceneModel of(SceneSpec spec, Catalog catalog) {
        return new SceneModel(spec, catalog);
    }

    SceneSpec spec() {
        return spec;
    }

    RoomGeometry.RoomMesh room() {
        return room;
    }

    SurfaceMaterial roomMaterial(RoomGeometry.Surface s) {
        return roomMaterials.get(s);
    }

    List<SceneObject> objects() {
        return objects;
    }

    List<ShaderLight> lights() {
        return lights;
    }

    /** Index into {@link #lights()} of the light whose shadows are drawn: 0 (lights are reordered so), or -1. */
    int shadowLight() {
        return shadowLight;
    }

    /** Every object posed for this view: the spec's pose unless the view places it elsewhere. */
    List<ObjectDraw> objectsFor(View view) {
        Map<Integer, ObjectPlacement> placed = new HashMap<>();
        for (ObjectPlacement p : view.getPlacements()) {
            if (!indexById.containsKey(p.getObjectId())) {
                throw new IllegalArgumentException("view '" + view.getViewId() + "' places object "
                        + p.getObjectId() + ", which scene '" + spec.getSceneId() + "' does not have");
            }
            placed.put(p.getObjectId(), p);
        }
        List<ObjectDraw> out = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            ObjectPlacement p = placed.get(o.getId());
            Vec3d position = Vec3d.of(p != null ? p.getPosition() : o.getPosition());
            double yaw = p != null ? p.getYawDeg() : o.getYawDeg();
            out.add(pose(o, partsByObject.get(i), position, yaw));
        }
        return out;
    }

    private static ObjectDraw pose(SceneObject o, List<PartTemplate> parts, Vec3d position, double yawDeg) {
        Vec3d size = Vec3d.of(o.getSize());
        double t = Math.toRadians(yawDeg);
        float c = (float) Math.cos(t);
        float s = (float) Math.sin(t);
        List<PartDraw> draws = new ArrayList<>(parts.size());
        for (PartTemplate p : parts) {
            Vec3d scale = mul(size, p.size());
            Vec3d centre = position.plus(Yaw.toWorld(yawDeg, mul(size, p.center())));
            float[] model = Mat4.trs(centre, yawDeg, scale);
            // normals transform with R * S^-1 (inverse transpose of R * S); the shader renormalises
            float ix = (float) (1 / Math.max(1e-6, scale.x()));
            float iy = (float) (1 / Math.max(1e-6, scale.y()));
            float iz = (float) (1 / Math.max(1e-6, scale.z()));
            float[] normal = {c * ix, 0, s * ix, 0, iy, 0, -s * iz, 0, c * iz};
            draws.add(new PartDraw(p.primitive(), model, normal, p.material()));
        }
        return new ObjectDraw(o.getId(), List.copyOf(draws), position, size.length() / 2);
    }

    private static Vec3d mul(Vec3d a, Vec3d b) {
        return new Vec3d(a.x() * b.x(), a.y() * b.y(), a.z() * b.z());
    }
}
