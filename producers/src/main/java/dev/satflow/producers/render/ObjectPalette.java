package dev.satflow.producers.render;

import dev.satflow.producers.catalog.Part.MaterialSlot;
import dev.satflow.schema.SceneObject;
import java.util.List;
import java.util.Locale;

/**
 * Materials of an object's SECONDARY and ACCENT parts: category-typical woods and metals chosen
 * deterministically from the object id and category, so every view of a scene (and every replay)
 * paints the same table legs the same way.
 */
final class ObjectPalette {
    private static final SurfaceMaterial FALLBACK_PRIMARY = SurfaceMaterial.ofSrgb(0.6, 0.6, 0.6, 0.1, 16);

    private static final List<SurfaceMaterial> SECONDARY = List.of(
            SurfaceMaterial.ofSrgb(0.62, 0.45, 0.28, 0.10, 20),  // oak
            SurfaceMaterial.ofSrgb(0.36, 0.24, 0.15, 0.10, 20),  // walnut
            SurfaceMaterial.ofSrgb(0.78, 0.66, 0.50, 0.08, 16),  // birch
            SurfaceMaterial.ofSrgb(0.22, 0.22, 0.24, 0.45, 48),  // dark steel
            SurfaceMaterial.ofSrgb(0.68, 0.69, 0.71, 0.60, 64),  // brushed aluminium
            SurfaceMaterial.ofSrgb(0.10, 0.10, 0.10, 0.25, 32)); // black lacquer

    private static final List<SurfaceMaterial> ACCENT = List.of(
            SurfaceMaterial.ofSrgb(0.08, 0.08, 0.09, 0.50, 64),  // black plastic / glass screen
            SurfaceMaterial.ofSrgb(0.92, 0.92, 0.90, 0.20, 32),  // white
            SurfaceMaterial.ofSrgb(0.76, 0.60, 0.25, 0.70, 64),  // brass
            SurfaceMaterial.ofSrgb(0.80, 0.81, 0.83, 0.80, 96)); // chrome

    private static final List<SurfaceMaterial> FOLIAGE = List.of(
            SurfaceMaterial.ofSrgb(0.20, 0.45, 0.18, 0.05, 8),
            SurfaceMaterial.ofSrgb(0.30, 0.55, 0.22, 0.05, 8),
            SurfaceMaterial.ofSrgb(0.14, 0.35, 0.20, 0.05, 8));

    private ObjectPalette() {}

    static SurfaceMaterial material(SceneObject o, MaterialSlot slot) {
        long h = mix(o.getId() * 0x9E3779B97F4A7C15L ^ o.getCategory().hashCode());
        return switch (slot) {
            case PRIMARY -> SurfaceMaterial.of(o.getMaterial(), FALLBACK_PRIMARY);
            case SECONDARY -> pick(SECONDARY, h);
            case ACCENT -> pick(isFoliage(o.getCategory()) ? FOLIAGE : ACCENT, h >>> 17);
        };
    }

    private static boolean isFoliage(String category) {
        String c = category.toLowerCase(Locale.ROOT);
        return c.contains("plant") || c.contains("tree") || c.contains("flower") || c.contains("fern");
    }

    private static SurfaceMaterial pick(List<SurfaceMaterial> list, long h) {
        return list.get((int) Long.remainderUnsigned(h, list.size()));
    }

    /** SplitMix64 finaliser: spreads nearby ids over the palette. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
