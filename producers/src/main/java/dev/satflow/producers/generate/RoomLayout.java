package dev.satflow.producers.generate;

import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.schema.Light;
import dev.satflow.schema.Rgb;
import dev.satflow.schema.Room;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.WallFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * The empty room: a rectangular or L-shaped floor, wall height, materials, a door and up to two
 * windows cut into the walls, and one to three lights. Also the zones furniture must keep clear:
 * the swing of the door and the opening of each window.
 */
final class RoomLayout {
    /** Share of rooms that are L-shaped. */
    static final double L_SHARE = 0.35;

    final Room room;
    final FloorPlan plan;
    /** Boxes nothing solid may enter: in front of the door, and the window openings. */
    final List<OrientedBox> keepClear;

    private RoomLayout(Room room, FloorPlan plan, List<OrientedBox> keepClear) {
        this.room = room;
        this.plan = plan;
        this.keepClear = keepClear;
    }

    static RoomLayout draw(Rng rng, Themes.Theme theme) {
        boolean small = theme.name().equals("bathroom");
        double w = q(small ? rng.uniform(2.6, 4.2) : rng.uniform(3.6, 7.5));
        double d = q(small ? rng.uniform(2.6, 4.0) : rng.uniform(3.6, 7.0));
        boolean ell = !small && rng.chance(L_SHARE);
        List<double[]> pts = new ArrayList<>();
        double hx = w / 2;
        double hz = d / 2;
        if (!ell) {
            pts.add(new double[] {-hx, hz});
            pts.add(new double[] {hx, hz});
            pts.add(new double[] {hx, -hz});
            pts.add(new double[] {-hx, -hz});
        } else {
            // a w x d rectangle with one corner cut away (cw x cd); which corner is random
            double cw = q(w * rng.uniform(0.35, 0.5));
            double cd = q(d * rng.uniform(0.35, 0.5));
            pts.add(new double[] {-hx, hz});
            pts.add(new double[] {hx, hz});
            pts.add(new double[] {hx, -hz + cd});
            pts.add(new double[] {hx - cw, -hz + cd});
            pts.add(new double[] {hx - cw, -hz});
            pts.add(new double[] {-hx, -hz});
            int corner = rng.nextInt(4);
            for (double[] p : pts) {
                if ((corner & 1) == 1) {
                    p[0] = -p[0];
                }
                if ((corner & 2) == 2) {
                    p[1] = -p[1];
                }
            }
            if (corner == 1 || corner == 2) { // one mirror flips the winding; put it back
                java.util.Collections.reverse(pts);
            }
        }
        List<Vec2> floor = new ArrayList<>();
        for (double[] p : pts) {
            floor.add(new Vec2((float) p[0], (float) p[1]));
        }
        FloorPlan plan = new FloorPlan(floor);
        if (plan.signedArea() > 0) {
            throw new IllegalStateException("floor polygon wound the wrong way");
        }
        double height = q(rng.uniform(2.5, 3.0));

        List<Palettes.Swatch> floors = rng.pick(theme.floors());
        Palettes.Swatch floorSwatch = rng.pick(floors);
        List<Palettes.Swatch> walls = small ? List.of(Palettes.WALLS.get(Palettes.WALLS.size() - 1),
                Palettes.WALLS.get(0), Palettes.WALLS.get(4)) : Palettes.WALLS.subList(0, Palettes.WALLS.size() - 1);
        Palettes.Swatch wallSwatch = rng.pick(walls);
        Palettes.Swatch ceilingSwatch = rng.pick(Palettes.CEILINGS);

        List<WallFeature> features = new ArrayList<>();
        List<OrientedBox> keepClear = new ArrayList<>();
        List<double[]> used = new ArrayList<>(); // {wall, from, to}
        List<FloorPlan.Wall> byLength = new ArrayList<>(plan.walls());
        FloorPlan.Wall doorWall = null;
        for (int tries = 0; tries < 20 && doorWall == null; tries++) {
            FloorPlan.Wall cand = rng.pick(byLength);
            if (cand.length() >= 1.6) {
                doorWall = cand;
            }
        }
        if (doorWall != null) {
            double dw = q(rng.uniform(0.8, 0.95));
            double off = q(rng.uniform(0.2 + dw / 2, doorWall.length() - 0.2 - dw / 2));
            double dh = q(rng.uniform(2.0, 2.1));
            features.add(feature("door", doorWall.index(), off, dw, 0, dh));
            used.add(new double[] {doorWall.index(), off - dw / 2, off + dw / 2});
            // the door swings into the room: keep a metre in front of it free
            Vec3d c = doorWall.at(off, 0.5);
            keepClear.add(new OrientedBox(new Vec3d(c.x(), dh / 2, c.z()), new Vec3d(dw + 0.3, dh, 1.0),
                    doorWall.facingYaw()));
        }
        int windows = small ? rng.between(0, 1) : rng.between(0, 2);
        for (int k = 0; k < windows; k++) {
            for (int tries = 0; tries < 10; tries++) {
                FloorPlan.Wall wall = rng.pick(plan.walls());
                double ww = q(rng.uniform(0.8, 1.6));
                if (wall.length() < ww + 0.6) {
                    continue;
                }
                double off = q(rng.uniform(0.3 + ww / 2, wall.length() - 0.3 - ww / 2));
                boolean clash = false;
                for (double[] u : used) {
                    if (u[0] == wall.index() && off - ww / 2 - 0.3 < u[2] && off + ww / 2 + 0.3 > u[1]) {
                        clash = true;
                    }
                }
                if (clash) {
                    continue;
                }
                double bottom = q(rng.uniform(0.8, 1.0));
                double wh = q(Math.min(rng.uniform(1.0, 1.4), height - bottom - 0.25));
                features.add(feature("window", wall.index(), off, ww, bottom, wh));
                used.add(new double[] {wall.index(), off - ww / 2, off + ww / 2});
                Vec3d c = wall.at(off, 0.15);
                keepClear.add(new OrientedBox(new Vec3d(c.x(), bottom + wh / 2, c.z()), new Vec3d(ww + 0.1, wh, 0.3),
                        wall.facingYaw()));
                break;
            }
        }

        List<Light> lights = new ArrayList<>();
        Vec3d centre = interiorPoint(plan, rng);
        lights.add(Light.newBuilder().setKind("point")
                .setPosition(new Vec3((float) centre.x(), (float) (height - 0.25), (float) centre.z()))
                .setColor(new Rgb(1f, (float) rng.uniform(0.94, 0.98), (float) rng.uniform(0.86, 0.92)))
                .setIntensity((float) rng.uniform(1.1, 1.3)).setCastsShadows(true).build());
        WallFeature window = features.stream().filter(f -> f.getKind().equals("window")).findFirst().orElse(null);
        if (window != null) {
            // daylight through the window: a directional light from outside, pointing back in
            Vec3d in = plan.walls().get(window.getWall()).inward();
            lights.add(Light.newBuilder().setKind("directional")
                    .setPosition(new Vec3((float) -in.x(), 1f, (float) -in.z()))
                    .setColor(new Rgb(0.9f, 0.95f, 1f)).setIntensity((float) rng.uniform(0.3, 0.45))
                    .setCastsShadows(false).build());
        }
        if (lights.size() < 3 && plan.area() > 18 && rng.chance(0.5)) {
            Vec3d p = interiorPoint(plan, rng);
            lights.add(Light.newBuilder().setKind("point")
                    .setPosition(new Vec3((float) p.x(), (float) (height - 0.3), (float) p.z()))
                    .setColor(new Rgb(1f, 0.92f, 0.82f)).setIntensity((float) rng.uniform(0.35, 0.6))
                    .setCastsShadows(false).build());
        }

        Room room = Room.newBuilder().setShape(ell ? "L" : "rect").setFloor(floor).setHeight((float) height)
                .setFloorMaterial(floorSwatch.material(rng, 0.03))
                .setWallMaterial(wallSwatch.material(rng, 0.02))
                .setCeilingMaterial(ceilingSwatch.material(rng, 0.01))
                .setFeatures(features).setLights(lights).build();
        return new RoomLayout(room, plan, List.copyOf(keepClear));
    }

    /** A point well inside the room (the polygon's centroid when inside, else a sampled one). */
    private static Vec3d interiorPoint(FloorPlan plan, Rng rng) {
        for (int i = 0; i < 100; i++) {
            double x = rng.uniform(plan.minX(), plan.maxX());
            double z = rng.uniform(plan.minZ(), plan.maxZ());
            if (plan.containsWithClearance(x, z, 0.8)) {
                return new Vec3d(x, 0, z);
            }
        }
        return new Vec3d((plan.minX() + plan.maxX()) / 2, 0, (plan.minZ() + plan.maxZ()) / 2);
    }

    private static WallFeature feature(String kind, int wall, double offset, double width, double bottom,
            double height) {
        return WallFeature.newBuilder().setKind(kind).setWall(wall).setOffset((float) offset).setWidth((float) width)
                .setBottom((float) bottom).setHeight((float) height).build();
    }

    /** Rounds to the centimetre: specs read well and survive the float fields unchanged in meaning. */
    static double q(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
