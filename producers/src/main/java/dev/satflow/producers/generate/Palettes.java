package dev.satflow.producers.generate;

import dev.satflow.schema.Material;
import dev.satflow.schema.Rgb;
import java.util.List;
import java.util.Map;

/**
 * Named colours and materials: object colour families by category, and room surfaces. Every
 * object colour has the name its description uses ("oak", "navy"), so a question can say
 * "the navy armchair" and mean what the picture shows.
 */
final class Palettes {
    private Palettes() {}

    /** A colour with its name, sRGB values and the material it is made of. */
    record Swatch(String colorName, double r, double g, double b, String materialName, double specular,
            double shininess) {
        /** The material, its colour jittered by at most {@code jitter} per channel (same name, slight variety). */
        Material material(Rng rng, double jitter) {
            return Material.newBuilder()
                    .setName(materialName)
                    .setColor(new Rgb(channel(r, rng, jitter), channel(g, rng, jitter), channel(b, rng, jitter)))
                    .setSpecular((float) specular)
                    .setShininess((float) shininess)
                    .build();
        }

        private static float channel(double v, Rng rng, double jitter) {
            return (float) Math.min(1, Math.max(0, v + rng.uniform(-jitter, jitter)));
        }
    }

    private static Swatch wood(String name, double r, double g, double b) {
        return new Swatch(name, r, g, b, name + " wood", 0.12, 24);
    }

    private static Swatch painted(String name, double r, double g, double b) {
        return new Swatch(name, r, g, b, "painted wood", 0.18, 32);
    }

    private static Swatch fabric(String name, double r, double g, double b) {
        return new Swatch(name, r, g, b, "fabric", 0.03, 8);
    }

    private static Swatch ceramic(String name, double r, double g, double b) {
        return new Swatch(name, r, g, b, "ceramic", 0.35, 48);
    }

    private static Swatch plastic(String name, double r, double g, double b) {
        return new Swatch(name, r, g, b, "plastic", 0.25, 32);
    }

    private static Swatch metal(String name, double r, double g, double b) {
        return new Swatch(name, r, g, b, "metal", 0.55, 64);
    }

    static final List<Swatch> WOOD = List.of(
            wood("oak", 0.66, 0.50, 0.32), wood("walnut", 0.38, 0.25, 0.16), wood("pine", 0.82, 0.68, 0.47),
            wood("cherry", 0.55, 0.27, 0.18), wood("birch", 0.86, 0.76, 0.60), wood("mahogany", 0.42, 0.17, 0.11),
            painted("white", 0.92, 0.92, 0.90), painted("black", 0.12, 0.12, 0.12), painted("grey", 0.55, 0.55, 0.56),
            painted("navy", 0.15, 0.20, 0.38), painted("sage green", 0.58, 0.66, 0.52));

    static final List<Swatch> FABRIC = List.of(
            fabric("grey", 0.52, 0.52, 0.53), fabric("dark grey", 0.28, 0.28, 0.30), fabric("beige", 0.80, 0.72, 0.58),
            fabric("navy", 0.14, 0.18, 0.36), fabric("blue", 0.22, 0.38, 0.70), fabric("green", 0.25, 0.50, 0.30),
            fabric("olive", 0.45, 0.45, 0.22), fabric("red", 0.70, 0.16, 0.14), fabric("mustard", 0.80, 0.62, 0.18),
            fabric("teal", 0.10, 0.48, 0.48), fabric("cream", 0.92, 0.88, 0.76), fabric("pink", 0.88, 0.60, 0.66),
            new Swatch("brown", 0.42, 0.27, 0.17, "leather", 0.25, 28),
            new Swatch("black", 0.10, 0.10, 0.10, "leather", 0.30, 32));

    static final List<Swatch> BEDDING = List.of(
            fabric("white", 0.93, 0.93, 0.92), fabric("grey", 0.60, 0.60, 0.62), fabric("blue", 0.35, 0.50, 0.78),
            fabric("beige", 0.82, 0.75, 0.62), fabric("green", 0.45, 0.62, 0.45), fabric("pink", 0.90, 0.66, 0.72),
            fabric("navy", 0.16, 0.20, 0.38), fabric("red", 0.72, 0.20, 0.18), fabric("yellow", 0.92, 0.80, 0.35));

    static final List<Swatch> CERAMIC = List.of(
            ceramic("white", 0.94, 0.94, 0.92), ceramic("red", 0.78, 0.16, 0.14), ceramic("blue", 0.20, 0.36, 0.75),
            ceramic("green", 0.26, 0.58, 0.32), ceramic("yellow", 0.92, 0.78, 0.20), ceramic("black", 0.10, 0.10, 0.11),
            ceramic("teal", 0.10, 0.52, 0.52), ceramic("orange", 0.90, 0.48, 0.14), ceramic("pink", 0.90, 0.58, 0.66),
            ceramic("grey", 0.55, 0.56, 0.58));

    static final List<Swatch> PLASTIC = List.of(
            plastic("red", 0.80, 0.15, 0.12), plastic("blue", 0.18, 0.35, 0.78), plastic("green", 0.22, 0.60, 0.28),
            plastic("yellow", 0.95, 0.80, 0.15), plastic("white", 0.93, 0.93, 0.93), plastic("black", 0.10, 0.10, 0.10),
            plastic("grey", 0.55, 0.55, 0.57), plastic("orange", 0.95, 0.50, 0.10), plastic("purple", 0.48, 0.26, 0.62));

    static final List<Swatch> APPLIANCE = List.of(
            metal("white", 0.92, 0.92, 0.91), metal("silver", 0.74, 0.75, 0.77), metal("black", 0.10, 0.10, 0.11),
            metal("grey", 0.45, 0.46, 0.48), metal("red", 0.72, 0.12, 0.12));

    static final List<Swatch> METAL_FURNITURE = List.of(
            metal("grey", 0.50, 0.51, 0.53), metal("white", 0.90, 0.90, 0.89), metal("black", 0.12, 0.12, 0.13),
            metal("blue", 0.25, 0.38, 0.62), metal("green", 0.32, 0.50, 0.38));

    static final List<Swatch> SANITARY = List.of(
            ceramic("white", 0.95, 0.95, 0.94), ceramic("cream", 0.93, 0.89, 0.78), ceramic("grey", 0.68, 0.69, 0.70),
            ceramic("pale blue", 0.72, 0.82, 0.90));

    static final List<Swatch> CARDBOARD = List.of(
            new Swatch("brown", 0.60, 0.44, 0.28, "cardboard", 0.04, 8),
            new Swatch("tan", 0.76, 0.62, 0.44, "cardboard", 0.04, 8),
            new Swatch("white", 0.90, 0.89, 0.86, "cardboard", 0.04, 8));

    static final List<Swatch> POT = List.of(
            ceramic("terracotta", 0.74, 0.38, 0.24), ceramic("white", 0.93, 0.93, 0.91), ceramic("grey", 0.50, 0.51, 0.52),
            ceramic("black", 0.12, 0.12, 0.12), ceramic("blue", 0.22, 0.36, 0.70), ceramic("yellow", 0.90, 0.76, 0.26));

    static final List<Swatch> LAMPSHADE = List.of(
            fabric("white", 0.95, 0.94, 0.90), fabric("cream", 0.93, 0.88, 0.74), fabric("beige", 0.82, 0.74, 0.60),
            fabric("grey", 0.58, 0.58, 0.60), fabric("black", 0.12, 0.12, 0.12), fabric("yellow", 0.94, 0.82, 0.36),
            fabric("green", 0.35, 0.58, 0.40));

    static final List<Swatch> SCREEN = List.of(
            new Swatch("black", 0.05, 0.05, 0.06, "glass", 0.7, 96),
            new Swatch("dark grey", 0.16, 0.17, 0.19, "glass", 0.7, 96));

    static final List<Swatch> GLASS = List.of(
            new Swatch("green", 0.20, 0.48, 0.25, "glass", 0.7, 96),
            new Swatch("brown", 0.42, 0.24, 0.10, "glass", 0.7, 96),
            new Swatch("clear", 0.82, 0.88, 0.88, "glass", 0.8, 128),
            new Swatch("blue", 0.20, 0.35, 0.72, "glass", 0.7, 96),
            plastic("white", 0.93, 0.93, 0.93), plastic("red", 0.80, 0.15, 0.12));

    static final List<Swatch> PAPER = List.of(
            new Swatch("red", 0.75, 0.15, 0.14, "paper", 0.06, 8), new Swatch("blue", 0.18, 0.32, 0.70, "paper", 0.06, 8),
            new Swatch("green", 0.22, 0.52, 0.28, "paper", 0.06, 8), new Swatch("yellow", 0.92, 0.80, 0.22, "paper", 0.06, 8),
            new Swatch("black", 0.10, 0.10, 0.10, "paper", 0.06, 8), new Swatch("white", 0.92, 0.92, 0.90, "paper", 0.06, 8),
            new Swatch("orange", 0.92, 0.50, 0.14, "paper", 0.06, 8), new Swatch("purple", 0.46, 0.24, 0.60, "paper", 0.06, 8),
            new Swatch("brown", 0.45, 0.30, 0.18, "paper", 0.06, 8));

    static final List<Swatch> RUG = List.of(
            fabric("red", 0.66, 0.18, 0.16), fabric("blue", 0.22, 0.34, 0.62), fabric("beige", 0.80, 0.72, 0.58),
            fabric("grey", 0.50, 0.50, 0.52), fabric("green", 0.28, 0.48, 0.32), fabric("brown", 0.44, 0.30, 0.20),
            fabric("cream", 0.90, 0.86, 0.74), fabric("navy", 0.14, 0.18, 0.34), fabric("teal", 0.12, 0.46, 0.46));

    static final List<Swatch> ART = List.of(
            new Swatch("blue", 0.20, 0.40, 0.78, "canvas", 0.05, 8), new Swatch("red", 0.80, 0.20, 0.16, "canvas", 0.05, 8),
            new Swatch("green", 0.28, 0.60, 0.30, "canvas", 0.05, 8), new Swatch("yellow", 0.95, 0.82, 0.25, "canvas", 0.05, 8),
            new Swatch("orange", 0.95, 0.55, 0.18, "canvas", 0.05, 8), new Swatch("purple", 0.50, 0.28, 0.65, "canvas", 0.05, 8),
            new Swatch("teal", 0.10, 0.55, 0.55, "canvas", 0.05, 8), new Swatch("pink", 0.92, 0.55, 0.66, "canvas", 0.05, 8));

    static final List<Swatch> FRAME = List.of(
            metal("gold", 0.80, 0.64, 0.26), metal("silver", 0.76, 0.77, 0.79), painted("black", 0.10, 0.10, 0.10),
            painted("white", 0.92, 0.92, 0.90), wood("oak", 0.66, 0.50, 0.32), wood("walnut", 0.38, 0.25, 0.16));

    static final List<Swatch> CLOCK_FACE = List.of(
            plastic("white", 0.95, 0.95, 0.94), plastic("black", 0.10, 0.10, 0.10), plastic("cream", 0.93, 0.88, 0.74),
            plastic("yellow", 0.94, 0.80, 0.25), plastic("blue", 0.25, 0.42, 0.75), plastic("red", 0.78, 0.18, 0.15));

    static final List<Swatch> BASKET = List.of(
            plastic("white", 0.93, 0.93, 0.93), plastic("grey", 0.55, 0.55, 0.57), plastic("blue", 0.25, 0.42, 0.75),
            new Swatch("wicker", 0.72, 0.56, 0.34, "wicker", 0.05, 8), plastic("green", 0.30, 0.58, 0.35));

    private static final Map<String, List<Swatch>> BY_CATEGORY = Map.ofEntries(
            Map.entry("table", WOOD), Map.entry("coffee table", WOOD), Map.entry("side table", WOOD),
            Map.entry("desk", WOOD), Map.entry("nightstand", WOOD), Map.entry("dresser", WOOD),
            Map.entry("tv stand", WOOD), Map.entry("kitchen counter", WOOD), Map.entry("filing cabinet", METAL_FURNITURE),
            Map.entry("chair", WOOD), Map.entry("stool", WOOD), Map.entry("armchair", FABRIC), Map.entry("sofa", FABRIC),
            Map.entry("floor cushion", FABRIC), Map.entry("bed", BEDDING), Map.entry("wardrobe", WOOD),
            Map.entry("bookshelf", WOOD), Map.entry("fridge", APPLIANCE), Map.entry("stove", APPLIANCE),
            Map.entry("sink", SANITARY), Map.entry("toilet", SANITARY), Map.entry("bathtub", SANITARY),
            Map.entry("floor lamp", LAMPSHADE), Map.entry("table lamp", LAMPSHADE), Map.entry("houseplant", POT),
            Map.entry("television", SCREEN), Map.entry("laptop", APPLIANCE), Map.entry("speaker", APPLIANCE),
            Map.entry("microwave", APPLIANCE), Map.entry("toaster", APPLIANCE), Map.entry("kettle", APPLIANCE),
            Map.entry("mug", CERAMIC), Map.entry("bowl", CERAMIC), Map.entry("bottle", GLASS), Map.entry("vase", CERAMIC),
            Map.entry("book", PAPER), Map.entry("trash bin", PLASTIC), Map.entry("laundry basket", BASKET),
            Map.entry("cardboard box", CARDBOARD), Map.entry("coat rack", WOOD), Map.entry("rug", RUG),
            Map.entry("painting", ART), Map.entry("mirror", FRAME), Map.entry("clock", CLOCK_FACE));

    /** The colours an instance of the category may have; plastics for a category this table does not know. */
    static List<Swatch> forCategory(String category) {
        return BY_CATEGORY.getOrDefault(category, PLASTIC);
    }

    // ---- room surfaces ----

    static final List<Swatch> WOOD_FLOORS = List.of(
            new Swatch("oak parquet", 0.62, 0.46, 0.30, "oak parquet", 0.12, 24),
            new Swatch("walnut planks", 0.40, 0.27, 0.17, "walnut planks", 0.12, 24),
            new Swatch("light maple", 0.80, 0.66, 0.46, "light maple", 0.10, 20),
            new Swatch("grey laminate", 0.55, 0.52, 0.48, "grey laminate", 0.10, 20));
    static final List<Swatch> TILE_FLOORS = List.of(
            new Swatch("white tile", 0.86, 0.86, 0.84, "white tile", 0.35, 64),
            new Swatch("grey tile", 0.55, 0.56, 0.57, "grey tile", 0.30, 48),
            new Swatch("terracotta tile", 0.70, 0.40, 0.28, "terracotta tile", 0.20, 32),
            new Swatch("black and white tile", 0.45, 0.45, 0.45, "black and white tile", 0.30, 48));
    static final List<Swatch> CARPET_FLOORS = List.of(
            new Swatch("beige carpet", 0.72, 0.65, 0.52, "beige carpet", 0.02, 4),
            new Swatch("grey carpet", 0.48, 0.48, 0.50, "grey carpet", 0.02, 4),
            new Swatch("blue carpet", 0.30, 0.38, 0.55, "blue carpet", 0.02, 4));
    static final List<Swatch> OTHER_FLOORS = List.of(
            new Swatch("polished concrete", 0.62, 0.62, 0.60, "polished concrete", 0.20, 32));

    static final List<Swatch> WALLS = List.of(
            new Swatch("white paint", 0.90, 0.89, 0.86, "white paint", 0.03, 8),
            new Swatch("cream paint", 0.90, 0.85, 0.72, "cream paint", 0.03, 8),
            new Swatch("light grey paint", 0.76, 0.77, 0.78, "light grey paint", 0.03, 8),
            new Swatch("sage green paint", 0.66, 0.74, 0.62, "sage green paint", 0.03, 8),
            new Swatch("pale blue paint", 0.70, 0.80, 0.88, "pale blue paint", 0.03, 8),
            new Swatch("warm beige paint", 0.84, 0.74, 0.60, "warm beige paint", 0.03, 8),
            new Swatch("terracotta paint", 0.78, 0.52, 0.40, "terracotta paint", 0.03, 8),
            new Swatch("white tile", 0.88, 0.89, 0.88, "white wall tile", 0.30, 48));

    static final List<Swatch> CEILINGS = List.of(
            new Swatch("white", 0.95, 0.95, 0.94, "white ceiling paint", 0.0, 4),
            new Swatch("off-white", 0.92, 0.90, 0.85, "off-white ceiling paint", 0.0, 4));
}
