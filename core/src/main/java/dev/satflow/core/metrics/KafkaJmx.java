package dev.satflow.core.metrics;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Reads the metrics that the Kafka clients and Kafka Streams apps of this JVM publish as MBeans (their
 * default {@code JmxReporter}), so a stage's meters can be derived from them without a handle on the
 * client objects. A selection is an MBean pattern ({@code kafka.streams:type=stream-topic-metrics,*}) plus
 * key properties that must match exactly ({@code topic=satflow.qa.v2}).
 */
public final class KafkaJmx {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private KafkaJmx() {}

    /**
     * A running total of one cumulative attribute over the selected MBeans that stays monotonic: an MBean
     * that goes away (a task moved to another thread, a thread replaced, an app closed) keeps counting with
     * its last value, and one that starts again from zero under the same name counts from there.
     */
    public static final class Total {
        private final ObjectName pattern;
        private final Map<String, String> match;
        private final String attribute;
        private Map<ObjectName, Double> last = new HashMap<>();
        private double retired;

        private Total(ObjectName pattern, Map<String, String> match, String attribute) {
            this.pattern = pattern;
            this.match = Map.copyOf(match);
            this.attribute = attribute;
        }

        public synchronized double value() {
            Map<ObjectName, Double> now = new HashMap<>();
            double current = 0;
            for (ObjectName name : select(pattern, match)) {
                double v = read(name, attribute);
                if (Double.isFinite(v)) {
                    now.put(name, v);
                    current += v;
                }
            }
            for (Map.Entry<ObjectName, Double> e : last.entrySet()) {
                Double v = now.get(e.getKey());
                if (v == null || v < e.getValue()) {
                    retired += e.getValue();
                }
            }
            last = now;
            return retired + current;
        }
    }

    public static Total total(String pattern, Map<String, String> match, String attribute) {
        return new Total(objectName(pattern), match, attribute);
    }

    /** The largest finite value of the attribute over the selected MBeans; NaN when none has one. */
    public static double max(String pattern, Map<String, String> match, String attribute) {
        double max = Double.NaN;
        for (ObjectName name : select(objectName(pattern), match)) {
            double v = read(name, attribute);
            if (Double.isFinite(v) && (Double.isNaN(max) || v > max)) {
                max = v;
            }
        }
        return max;
    }

    /** The sum of the attribute's finite values over the selected MBeans (0 when none). */
    public static double sum(String pattern, Map<String, String> match, String attribute) {
        double sum = 0;
        for (ObjectName name : select(objectName(pattern), match)) {
            double v = read(name, attribute);
            if (Double.isFinite(v)) {
                sum += v;
            }
        }
        return sum;
    }

    private static Set<ObjectName> select(ObjectName pattern, Map<String, String> match) {
        Set<ObjectName> names = SERVER.queryNames(pattern, null);
        names.removeIf(n -> match.entrySet().stream().anyMatch(m -> !m.getValue().equals(unquote(n.getKeyProperty(m.getKey())))));
        return names;
    }

    private static String unquote(String v) {
        if (v != null && v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return ObjectName.unquote(v);
        }
        return v;
    }

    private static double read(ObjectName name, String attribute) {
        try {
            Object v = SERVER.getAttribute(name, attribute);
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        } catch (JMException | RuntimeException e) {
            return Double.NaN; // unregistered between query and read, or no such attribute
        }
    }

    private static ObjectName objectName(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not an MBean name pattern: " + pattern, e);
        }
    }
}
