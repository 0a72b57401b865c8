package dev.satflow.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Totals over MBeans named like Kafka's stay monotonic while the MBeans behind them come, go and restart. */
class KafkaJmxTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final String PATTERN = "satflow.test:type=topic-metrics,*";
    private final List<ObjectName> registered = new ArrayList<>();

    /** One MBean with a settable numeric attribute, as Kafka's JmxReporter publishes them. */
    static final class Value implements DynamicMBean {
        volatile double v;

        Value(double v) {
            this.v = v;
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            if (!attribute.equals("records-produced-total")) {
                throw new AttributeNotFoundException(attribute);
            }
            return v;
        }

        @Override
        public void setAttribute(Attribute attribute) {}

        @Override
        public AttributeList getAttributes(String[] attributes) {
            return new AttributeList();
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            return null;
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return new MBeanInfo(Value.class.getName(), "", new MBeanAttributeInfo[] {new MBeanAttributeInfo(
                    "records-produced-total", "double", "", true, false, false)}, null, null, null);
        }
    }

    private Value register(String task, String topic, double v) throws Exception {
        ObjectName name = new ObjectName("satflow.test:type=topic-metrics,task-id=" + task + ",topic=" + topic);
        Value mbean = new Value(v);
        SERVER.registerMBean(mbean, name);
        registered.add(name);
        return mbean;
    }

    private void unregister(String task, String topic) throws Exception {
        ObjectName name = new ObjectName("satflow.test:type=topic-metrics,task-id=" + task + ",topic=" + topic);
        SERVER.unregisterMBean(name);
        registered.remove(name);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ObjectName n : registered) {
            SERVER.unregisterMBean(n);
        }
    }

    @Test
    void totalSumsMatchingMBeansAndKeepsCountingWhatWentAway() throws Exception {
        KafkaJmx.Total total = KafkaJmx.total(PATTERN, Map.of("topic", "qa"), "records-produced-total");
        assertEquals(0, total.value(), "nothing registered yet");
        Value a = register("0_0", "qa", 5);
        register("0_1", "qa", 7);
        register("0_0", "dlq", 100); // another topic: not selected
        assertEquals(12, total.value());

        a.v = 9;
        assertEquals(16, total.value());

        unregister("0_1", "qa"); // the task moved away: its 7 still count
        assertEquals(16, total.value());

        unregister("0_0", "qa");
        Value again = register("0_0", "qa", 1); // re-created under the same name, counting from 0
        assertEquals(17, total.value(), "9 + 7 retired, 1 new");
        again.v = 4;
        assertEquals(20, total.value());
    }

    @Test
    void maxAndSumOverTheSelection() throws Exception {
        assertTrue(Double.isNaN(KafkaJmx.max(PATTERN, Map.of("topic", "qa"), "records-produced-total")));
        register("0_0", "qa", 3);
        register("0_1", "qa", Double.NaN); // a windowed metric with no samples
        register("1_0", "qa", 8);
        assertEquals(8, KafkaJmx.max(PATTERN, Map.of("topic", "qa"), "records-produced-total"));
        assertEquals(11, KafkaJmx.sum(PATTERN, Map.of("topic", "qa"), "records-produced-total"));
        assertEquals(0, KafkaJmx.sum(PATTERN, Map.of("topic", "other"), "records-produced-total"));
    }
}
