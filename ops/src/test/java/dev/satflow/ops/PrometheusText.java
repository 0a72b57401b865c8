package dev.satflow.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a
 * {@code # HELP}, a {@code # TYPE} with a valid type, another comment, a blank line, or a sample
 * {@code name{label="value",...} value [timestamp]} with valid names, properly escaped label values
 * and a numeric value; a family's TYPE comes before its samples, once; samples of a family are
 * contiguous and belong to it (suffixes as its type allows); no series appears twice; counters and
 * the counts and sums of summaries and histograms are non-negative numbers. Anything else throws.
 */
final class PrometheusText {
    static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {
        /** The one sample with this (full) name and these labels. */
        Optional<Sample> sample(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(sampleName) && s.labels().equals(labels)).findFirst();
        }
    }

    static final class Invalid extends IllegalArgumentException {
        Invalid(int line, String text, String why) {
            super("line " + line + ": " + why + ": " + text);
        }
    }

    private PrometheusText() {}

    /** Families by name, in the order they appear. */
    static Map<String, Family> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> series = new java.util.HashSet<>();
        Set<String> closed = new java.util.HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new Invalid(lines.length, lines[lines.length - 1], "the last line does not end with a newline");
        }
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!METRIC_NAME.matcher(name).matches()) {
                        throw new Invalid(no, line, "bad metric name '" + name + "'");
                    }
                    if (parts[1].equals("TYPE")) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new Invalid(no, line, "TYPE must be one of " + TYPES);
                        }
                        if (types.containsKey(name)) {
                            throw new Invalid(no, line, "second TYPE for " + name);
                        }
                        if (samples.containsKey(name)) {
                            throw new Invalid(no, line, "TYPE after samples of " + name);
                        }
                        types.put(name, parts[3]);
                    } else {
                        if (helps.containsKey(name)) {
                            throw new Invalid(no, line, "second HELP for " + name);
                        }
                        helps.put(name, parts.length == 4 ? parts[3] : "");
                    }
                }
                continue; // any other comment
            }
            Sample s = sample(no, line);
            String family = familyOf(s.name(), types);
            if (!family.equals(current)) {
                if (closed.contains(family)) {
                    throw new Invalid(no, line, "samples of " + family + " are not contiguous");
                }
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
            String type = types.getOrDefault(family, "untyped");
            checkSample(no, line, family, type, s);
            if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
                throw new Invalid(no, line, "series appears twice");
            }
            samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
        }
        Map<String, Family> out = new LinkedHashMap<>();
        for (String name : samples.keySet()) {
            out.put(name, new Family(name, types.getOrDefault(name, "untyped"), helps.get(name), samples.get(name)));
        }
        return out;
    }

    /** The family a sample belongs to: its own name, or the name less a suffix its family's type allows. */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_sum", "_count", "_bucket")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return sample;
    }

    private static void checkSample(int no, String line, String family, String type, Sample s) {
        boolean counting = type.equals("counter") || !s.name().equals(family) && !type.equals("gauge");
        if (counting && (Double.isNaN(s.value()) || s.value() < 0)) {
            throw new Invalid(no, line, type + " sample must be a non-negative number");
        }
        if (type.equals("summary") && s.name().equals(family) && !s.labels().containsKey("quantile")) {
            throw new Invalid(no, line, "summary sample without quantile label");
        }
        if (type.equals("histogram") && s.name().endsWith("_bucket") && !s.labels().containsKey("le")) {
            throw new Invalid(no, line, "histogram bucket without le label");
        }
        if (type.equals("histogram") && s.name().equals(family)) {
            throw new Invalid(no, line, "histogram sample without _bucket, _sum or _count");
        }
    }

    private static Sample sample(int no, String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new Invalid(no, line, "bad metric name '" + name + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new Invalid(no, line, "label without '='");
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new Invalid(no, line, "bad label name '" + label + "'");
                }
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') {
                    throw new Invalid(no, line, "label value not quoted");
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw new Invalid(no, line, "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= n) {
                            throw new Invalid(no, line, "dangling escape");
                        }
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new Invalid(no, line, "bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new Invalid(no, line, "label '" + label + "' twice");
                }
                if (i < n && line.charAt(i) == ',') {
                    i++;
                } else if (i >= n || line.charAt(i) != '}') {
                    throw new Invalid(no, line, "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= n || line.charAt(i) != ' ') {
            throw new Invalid(no, line, "no value");
        }
        String[] rest = line.substring(i + 1).trim().split(" +");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new Invalid(no, line, "expected 'value [timestamp]'");
        }
        double value = number(no, line, rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new Invalid(no, line, "timestamp is not an integer");
            }
        }
        return new Sample(name, labels, value);
    }

    private static double number(int no, String line, String v) {
        switch (v) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new Invalid(no, line, "value '" + v + "' is not a number");
                }
                return Double.parseDouble(v);
        }
    }
}
