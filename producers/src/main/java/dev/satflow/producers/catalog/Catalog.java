package dev.satflow.producers.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The object categories satflow can generate and draw; one immutable table shared by generator and renderer. */
public final class Catalog {
    /** The 44 standard categories; see {@link StandardModels} for the models and size ranges. */
    private static final Catalog STANDARD = new Catalog(StandardModels.all());

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
