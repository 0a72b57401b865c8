package dev.satflow.producers.catalog;

import static dev.satflow.producers.catalog.Part.MaterialSlot.PRIMARY;
import static dev.satflow.producers.catalog.Part.MaterialSlot.SECONDARY;

import dev.satflow.core.geom.Vec3d;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The object categories satflow can generate and draw; one immutable table shared by generator and renderer. */
public final class Catalog {
    private static final Catalog STANDARD = new Catalog(List.of(
            new CategorySpec("crate", List.of(Part.box(0, 0, 0, 1, 1, 1, PRIMARY)),
                    new Vec3d(0.3, 0.3, 0.3), new Vec3d(0.7, 0.6, 0.7), CategorySpec.Placement.FLOOR, true, 1.0),
            new CategorySpec("barrel", List.of(Part.of(Primitive.CYLINDER, 0, 0, 0, 1, 1, 1, PRIMARY)),
                    new Vec3d(0.35, 0.5, 0.35), new Vec3d(0.6, 0.9, 0.6), CategorySpec.Placement.FLOOR, true, 0),
            new CategorySpec("table", List.of(
                    Part.box(0, 0.45, 0, 1, 0.1, 1, PRIMARY),
                    Part.box(-0.45, -0.05, -0.45, 0.08, 0.9, 0.08, SECONDARY),
                    Part.box(0.45, -0.05, -0.45, 0.08, 0.9, 0.08, SECONDARY),
                    Part.box(-0.45, -0.05, 0.45, 0.08, 0.9, 0.08, SECONDARY),
                    Part.box(0.45, -0.05, 0.45, 0.08, 0.9, 0.08, SECONDARY)),
                    new Vec3d(0.8, 0.7, 0.6), new Vec3d(1.6, 0.8, 1.0), CategorySpec.Placement.FLOOR, false, 1.0),
            new CategorySpec("mug", List.of(Part.of(Primitive.CYLINDER, 0, 0, 0, 1, 1, 1, PRIMARY)),
                    new Vec3d(0.08, 0.09, 0.08), new Vec3d(0.12, 0.13, 0.12), CategorySpec.Placement.ON_SURFACE, true,
                    0)));

    private final Map<String, CategorySpec> byName;

    public Catalog(List<CategorySpec> categories) {
        Map<String, CategorySpec> m = new LinkedHashMap<>();
        for (CategorySpec c : categories) {
            if (m.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate category " + c.name());
            }
        }
        this.byName = Map.copyOf(m);
    }

    public static Catalog standard() {
        return STANDARD;
    }

    public Optional<CategorySpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The category, or an error naming it when unknown (a spec from a newer generator, say). */
    public CategorySpec get(String name) {
        CategorySpec c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown object category '" + name + "'");
        }
        return c;
    }

    public List<CategorySpec> all() {
        return byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }
}
