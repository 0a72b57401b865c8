package dev.satflow.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every satflow meter the code registers, read from the main sources of all modules: each
 * {@code Counter|FunctionCounter|Timer|Gauge|MultiGauge.builder("satflow_...")} with the labels its
 * builder tags (for a MultiGauge, the {@code Tags.of("label", ...)} keys of its file). What the
 * dashboards and the README may name, and what the metrics tests hold them to.
 */
final class MeterSources {
    enum Kind { COUNTER, GAUGE, TIMER }

    /** A meter as the code registers it (in one or more places, which must agree). */
    record Meter(String name, Kind kind, Set<String> labels, Set<String> files) {
        /** The sample names Prometheus shows for it: a timer is a summary (_count, _sum) and a _max gauge. */
        List<String> series() {
            return kind == Kind.TIMER ? List.of(name + "_count", name + "_sum", name + "_max") : List.of(name);
        }
    }

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|FunctionCounter|Timer|FunctionTimer|Gauge|TimeGauge|MultiGauge|DistributionSummary|"
                    + "LongTaskTimer)\\.builder\\(\\s*\"([^\"]+)\"");
    private static final Pattern TAG = Pattern.compile("\\.tags?\\(\\s*\"([^\"]+)\"");
    private static final Pattern TAGS_OF = Pattern.compile("Tags\\.of\\(\\s*\"([^\"]+)\"");
    /** Shorthand registrations (registry.counter("satflow_...")) that the catalogue cannot see. */
    private static final Pattern SHORTHAND = Pattern.compile("\\.(counter|gauge|timer|summary)\\(\\s*\"satflow_");

    private MeterSources() {}

    /** The repository root: the folder with docker-compose.yml above the test's working directory. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Meters by name; throws where one name is registered as two kinds or with two label sets. */
    static Map<String, Meter> scan() {
        Path root = root();
        Map<String, Meter> meters = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : mainSources(root)) {
            String src;
            try {
                src = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String rel = root.relativize(file).toString();
            Matcher shorthand = SHORTHAND.matcher(src);
            if (shorthand.find()) {
                problems.add(rel + ": register satflow meters through a builder (" + shorthand.group() + ")");
            }
            Matcher m = BUILDER.matcher(src);
            while (m.find()) {
                String name = m.group(2);
                Kind kind = switch (m.group(1)) {
                    case "Counter", "FunctionCounter" -> Kind.COUNTER;
                    case "Timer", "FunctionTimer", "LongTaskTimer", "DistributionSummary" -> Kind.TIMER;
                    default -> Kind.GAUGE;
                };
                Set<String> labels = new TreeSet<>();
                if (m.group(1).equals("MultiGauge")) {
                    Matcher t = TAGS_OF.matcher(src);
                    while (t.find()) {
                        labels.add(t.group(1));
                    }
                } else {
                    int end = src.indexOf(".register(", m.end());
                    Matcher t = TAG.matcher(src.substring(m.end(), end < 0 ? src.length() : end));
                    while (t.find()) {
                        labels.add(t.group(1));
                    }
                }
                Meter before = meters.get(name);
                if (before == null) {
                    meters.put(name, new Meter(name, kind, labels, new TreeSet<>(Set.of(rel))));
                } else if (before.kind() != kind || !before.labels().equals(labels)) {
                    problems.add(name + " is a " + kind + " " + labels + " in " + rel + " but a " + before.kind() + " "
                            + before.labels() + " in " + before.files());
                } else {
                    before.files().add(rel);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        return meters;
    }

    /** Sample name to meter, over every series each meter shows. */
    static Map<String, Meter> bySeries(Map<String, Meter> meters) {
        Map<String, Meter> out = new TreeMap<>();
        meters.values().forEach(m -> m.series().forEach(s -> out.put(s, m)));
        return out;
    }

    private static List<Path> mainSources(Path root) {
        try (Stream<Path> modules = Files.list(root)) {
            List<Path> out = new ArrayList<>();
            for (Path module : modules.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).sorted().toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(out::add);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
