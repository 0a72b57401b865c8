package dev.satflow.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Layered, immutable configuration: defaults &lt; file &lt; {@code SATFLOW_*} environment &lt; flags.
 * Only known settings are accepted from a file or flags (a typo fails fast, naming the key); typed
 * getters fail with a message naming the key, the bad value and its source.
 */
public final class Config {
    private record Value(String value, String source) {}

    private final Map<String, Setting> known;
    private final Map<String, Value> values;

    private Config(Map<String, Setting> known, Map<String, Value> values) {
        this.known = known;
        this.values = values;
    }

    public static Builder builder(Collection<Setting> settings) {
        return new Builder(settings);
    }

    /** Builds the layers in order; each layer overrides the ones before. */
    public static final class Builder {
        private final Map<String, Setting> known = new LinkedHashMap<>();
        private final Map<String, Value> values = new TreeMap<>();

        private Builder(Collection<Setting> settings) {
            for (Setting s : settings) {
                known.put(s.key(), s);
                if (s.defaultValue() != null) {
                    values.put(s.key(), new Value(s.defaultValue(), "default"));
                }
            }
        }

        /** A properties file ({@code key=value}); null or absent path = no file layer. */
        public Builder file(Path file) {
            if (file == null) {
                return this;
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " does not exist");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
                put(key, p.getProperty(key).trim(), "file " + file);
            }
            return this;
        }

        /** Environment variables named after known settings (SATFLOW_RENDER_WIDTH for render.width). */
        public Builder env(Map<String, String> env) {
            for (Setting s : known.values()) {
                String v = env.get(s.envName());
                if (v != null && !v.isBlank()) {
                    values.put(s.key(), new Value(v.trim(), "env " + s.envName()));
                }
            }
            return this;
        }

        /** Command-line flags, already mapped to setting keys; null values are ignored (flag not given). */
        public Builder flags(Map<String, ?> flags) {
            flags.forEach((k, v) -> {
                if (v != null) {
                    put(k, v.toString(), "flag --" + k.substring(k.lastIndexOf('.') + 1));
                }
            });
            return this;
        }

        private void put(String key, String value, String source) {
            if (!known.containsKey(key)) {
                throw new ConfigException("unknown setting '" + key + "' (from " + source + "); known settings: "
                        + String.join(", ", known.keySet()));
            }
            values.put(key, new Value(value, source));
        }

        public Config build() {
            return new Config(Map.copyOf(known), Map.copyOf(values));
        }
    }

    public Optional<String> optional(String key) {
        requireKnown(key);
        Value v = values.get(key);
        return v == null || v.value().isEmpty() ? Optional.empty() : Optional.of(v.value());
    }

    public String string(String key) {
        return optional(key).orElseThrow(() -> new ConfigException("missing setting '" + key + "': set it with --"
                + key.substring(key.lastIndexOf('.') + 1) + ", " + Setting.envName(key) + " or " + key
                + "= in the config file"));
    }

    public int integer(String key) {
        String v = string(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    public int integer(String key, int min, int max) {
        int v = integer(key);
        if (v < min || v > max) {
            throw bad(key, Integer.toString(v), "an integer in [" + min + ", " + max + "]");
        }
        return v;
    }

    public long longValue(String key) {
        String v = string(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    public double decimal(String key) {
        String v = string(key);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, v, "a finite number");
        }
    }

    public double decimal(String key, double min, double max) {
        double v = decimal(key);
        if (v < min || v > max) {
            throw bad(key, Double.toString(v), "a number in [" + min + ", " + max + "]");
        }
        return v;
    }

    public boolean bool(String key) {
        String v = string(key).toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    public Path path(String key) {
        return Path.of(string(key));
    }

    /** Where a key's value came from ("default", "file x", "env SATFLOW_X", "flag --x"), for diagnostics. */
    public String source(String key) {
        Value v = values.get(key);
        return v == null ? "unset" : v.source();
    }

    /** Every known key with its value and source, for {@code satflow config}. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : new TreeMap<>(known).keySet()) {
            Value v = values.get(k);
            out.put(k, v == null ? "(unset)" : v.value() + "  [" + v.source() + "]");
        }
        return out;
    }

    private void requireKnown(String key) {
        if (!known.containsKey(key)) {
            throw new IllegalArgumentException("code asked for undeclared setting '" + key + "'");
        }
    }

    private ConfigException bad(String key, String value, String expected) {
        return new ConfigException("setting '" + key + "' = '" + value + "' (from " + source(key) + "): expected "
                + expected);
    }
}
