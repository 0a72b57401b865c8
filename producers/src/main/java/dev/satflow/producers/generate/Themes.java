package dev.satflow.producers.generate;

import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kinds of room and what tends to be in them, so a toilet does not turn up beside the sofa.
 * Weights are relative odds of drawing a category; {@code max} caps its instances. Categories with
 * {@code max >= 3} come in sets (chairs round a table, books on a shelf, several plants, mugs):
 * the furnisher places more of one right after the first, so counting questions see 0 to 4.
 */
final class Themes {
    private Themes() {}

    record Entry(String category, double weight, int max) {}

    record Theme(String name, double odds, List<Entry> entries, List<List<Palettes.Swatch>> floors) {}

    /** Categories that others rest on, preferred per small category; unlisted ones take any support. */
    static final Map<String, List<String>> PREFERRED_SUPPORTS = Map.of(
            "television", List.of("tv stand", "dresser", "desk"),
            "table lamp", List.of("nightstand", "desk", "side table", "dresser"),
            "laptop", List.of("desk", "table", "coffee table"),
            "microwave", List.of("kitchen counter", "table"),
            "toaster", List.of("kitchen counter", "table"),
            "kettle", List.of("kitchen counter", "table"),
            "speaker", List.of("tv stand", "desk", "dresser", "side table"));

    private static Entry e(String category, double weight, int max) {
        return new Entry(category, weight, max);
    }

    static final List<Theme> ALL = List.of(
            new Theme("living room", 0.28, List.of(
                    e("sofa", 3, 1), e("armchair", 2, 2), e("coffee table", 3, 1), e("tv stand", 2, 1),
                    e("television", 2, 1), e("bookshelf", 2, 1), e("floor lamp", 2, 1), e("houseplant", 2, 4),
                    e("rug", 2, 1), e("painting", 2, 3), e("side table", 1.5, 1), e("table lamp", 1.5, 1),
                    e("vase", 1, 1), e("book", 1.5, 6), e("clock", 1, 1), e("floor cushion", 1, 4),
                    e("trash bin", 0.5, 1), e("cardboard box", 0.5, 4), e("speaker", 1, 2), e("mug", 1, 4),
                    e("laptop", 0.5, 1), e("coat rack", 0.5, 1), e("bowl", 0.5, 3), e("stool", 0.5, 4),
                    e("bottle", 0.5, 1)),
                    List.of(Palettes.WOOD_FLOORS, Palettes.CARPET_FLOORS, Palettes.OTHER_FLOORS)),
            new Theme("bedroom", 0.24, List.of(
                    e("bed", 4, 1), e("nightstand", 3, 2), e("wardrobe", 2, 1), e("dresser", 2, 1),
                    e("table lamp", 2, 2), e("rug", 1.5, 1), e("painting", 1.5, 2), e("mirror", 1, 1),
                    e("book", 2, 6), e("clock", 1, 1), e("chair", 1, 2), e("desk", 1, 1), e("laptop", 1, 1),
                    e("houseplant", 1, 4), e("floor lamp", 1, 1), e("mug", 0.7, 4), e("laundry basket", 1, 1),
                    e("cardboard box", 0.5, 4), e("bottle", 0.5, 3), e("vase", 0.5, 1), e("trash bin", 0.5, 1),
                    e("bookshelf", 0.7, 1), e("television", 0.5, 1), e("tv stand", 0.3, 1), e("speaker", 0.3, 1),
                    e("floor cushion", 0.4, 1), e("coat rack", 0.5, 1)),
                    List.of(Palettes.WOOD_FLOORS, Palettes.CARPET_FLOORS)),
            new Theme("kitchen", 0.20, List.of(
                    e("fridge", 3, 1), e("kitchen counter", 4, 2), e("stove", 2, 1), e("table", 3, 1),
                    e("chair", 3, 6), e("stool", 1, 4), e("microwave", 2, 1), e("toaster", 1.5, 1),
                    e("kettle", 2, 1), e("bowl", 2, 5), e("mug", 2, 5), e("bottle", 2, 5), e("vase", 1, 1),
                    e("trash bin", 2, 1), e("houseplant", 1, 4), e("clock", 1.5, 1), e("painting", 1, 2),
                    e("cardboard box", 0.7, 4), e("laptop", 0.3, 1), e("book", 0.5, 4), e("rug", 0.5, 1),
                    e("sink", 0.7, 1), e("side table", 0.3, 1), e("table lamp", 0.3, 1), e("speaker", 0.3, 1)),
                    List.of(Palettes.TILE_FLOORS, Palettes.WOOD_FLOORS, Palettes.OTHER_FLOORS)),
            new Theme("office", 0.18, List.of(
                    e("desk", 4, 2), e("chair", 3, 5), e("bookshelf", 3, 2), e("filing cabinet", 2, 1),
                    e("laptop", 3, 2), e("book", 2, 6), e("mug", 2, 4), e("table lamp", 2, 2), e("houseplant", 2, 4),
                    e("trash bin", 1.5, 1), e("cardboard box", 1.5, 5), e("painting", 1, 3), e("clock", 1, 1),
                    e("armchair", 1, 1), e("floor lamp", 1, 1), e("coffee table", 0.7, 1), e("speaker", 0.7, 2),
                    e("bottle", 0.7, 4), e("rug", 0.7, 1), e("coat rack", 0.7, 1), e("sofa", 0.5, 1),
                    e("side table", 0.5, 1), e("vase", 0.3, 1), e("kettle", 0.3, 1), e("table", 0.5, 1)),
                    List.of(Palettes.CARPET_FLOORS, Palettes.WOOD_FLOORS, Palettes.OTHER_FLOORS)),
            new Theme("bathroom", 0.10, List.of(
                    e("toilet", 4, 1), e("sink", 4, 1), e("bathtub", 3, 1), e("mirror", 3, 1), e("trash bin", 1.5, 1),
                    e("bottle", 2, 5), e("laundry basket", 1.5, 1), e("rug", 1.5, 1), e("houseplant", 1, 1),
                    e("cardboard box", 0.3, 1), e("painting", 0.7, 1), e("side table", 1, 1), e("vase", 0.5, 1),
                    e("book", 0.3, 1), e("clock", 0.5, 1), e("stool", 0.5, 1), e("dresser", 0.3, 1),
                    e("bowl", 0.3, 1), e("mug", 0.3, 1)),
                    List.of(Palettes.TILE_FLOORS)));

    /** A theme chosen by its odds, restricted to the catalog; a catalog-wide theme when too little of it exists. */
    static Theme choose(Rng rng, Catalog catalog) {
        double[] odds = new double[ALL.size()];
        for (int i = 0; i < odds.length; i++) {
            odds[i] = ALL.get(i).odds();
        }
        Theme t = ALL.get(rng.weighted(odds));
        List<Entry> present = new ArrayList<>();
        for (Entry e : t.entries()) {
            if (catalog.find(e.category()).isPresent()) {
                present.add(e);
            }
        }
        if (present.size() >= 4) {
            return new Theme(t.name(), t.odds(), List.copyOf(present), t.floors());
        }
        // a custom catalog (tests, experiments): every category, a few of each
        List<Entry> all = new ArrayList<>();
        for (CategorySpec c : catalog.all()) {
            all.add(e(c.name(), 1, 3));
        }
        return new Theme("generic", 1, List.copyOf(all), List.of(Palettes.WOOD_FLOORS, Palettes.TILE_FLOORS));
    }
}
