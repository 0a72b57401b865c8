package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docker-compose.yml read as YAML (anchors and merge keys resolved) and held to the stack it promises:
 * three KRaft brokers with unique node ids and one consistent voter set, replication 3 / min ISR 2, the
 * registry and every satflow service pointed at all brokers, satflow services that scale (no fixed names
 * or host ports) and run real commands, Prometheus scraping each of them on the metrics port, Grafana
 * with the provisioning and dashboards mounted. Where the Docker Compose plugin is installed, it must
 * accept the file too (`docker compose config`, offline).
 */
class ComposeFileTest {
    static final String GRAFANA_DASHBOARDS = "/var/lib/grafana/dashboards";
    private static final Path ROOT = MeterSources.root();

    /** docker-compose.yml as plain maps and lists. */
    static Map<String, Object> compose() throws Exception {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** The image of the first service whose image starts with the prefix (e.g. "apache/kafka:"). */
    static String image(String prefix) throws Exception {
        return services(compose()).values().stream().map(s -> (String) s.get("image"))
                .filter(i -> i != null && i.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " image in docker-compose.yml"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> out = new TreeMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        } else if (e instanceof List<?> l) {
            l.forEach(kv -> {
                String[] p = String.valueOf(kv).split("=", 2);
                out.put(p[0], p.length > 1 ? p[1] : "");
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> service, String key) {
        Object v = service.get(key);
        return v == null ? List.of() : ((List<Object>) v).stream().map(String::valueOf).toList();
    }

    /** listener name -> "host:port" from a KAFKA_LISTENERS / ADVERTISED_LISTENERS value. */
    private static Map<String, String> listeners(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : value.split(",")) {
            String[] p = l.trim().split("://", 2);
            out.put(p[0], p[1]);
        }
        return out;
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static Set<String> csv(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.replaceFirst("^PLAINTEXT://", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void threeKraftBrokersWithOneQuorumAndReplicationThree() throws Exception {
        Map<String, Object> compose = compose();
        Map<String, Map<String, Object>> services = services(compose);
        Map<String, Map<String, Object>> brokers = new TreeMap<>();
        services.forEach((name, s) -> {
            if (String.valueOf(s.get("image")).startsWith("apache/kafka:")) {
                brokers.put(name, s);
            }
        });
        assertEquals(3, brokers.size(), "brokers: " + brokers.keySet());

        Set<String> voterSets = new TreeSet<>();
        Set<String> clusterIds = new TreeSet<>();
        Set<String> nodeIds = new TreeSet<>();
        Set<String> expectedVoters = new TreeSet<>();
        Set<Integer> hostPorts = new TreeSet<>();
        Set<String> volumes = new TreeSet<>();
        for (Map.Entry<String, Map<String, Object>> b : brokers.entrySet()) {
            String name = b.getKey();
            Map<String, String> env = env(b.getValue());
            String id = env.get("KAFKA_NODE_ID");
            assertNotNull(id, name + ": KAFKA_NODE_ID");
            assertTrue(nodeIds.add(id), "node id " + id + " twice");
            voterSets.add(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
            clusterIds.add(env.get("CLUSTER_ID"));
            Set<String> roles = csv(env.get("KAFKA_PROCESS_ROLES"));
            assertTrue(roles.contains("broker"), name + " roles " + roles);
            Map<String, String> listen = listeners(env.get("KAFKA_LISTENERS"));
            Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
            String host = (String) b.getValue().getOrDefault("hostname", name);
            assertEquals(name, host, "hostname is the service name");
            if (roles.contains("controller")) {
                expectedVoters.add(id + "@" + host + ":" + port(listen.get(env.get("KAFKA_CONTROLLER_LISTENER_NAMES"))));
            }
            assertEquals(host + ":" + port(listen.get("PLAINTEXT")), advertised.get("PLAINTEXT"),
                    name + ": the internal listener advertises the service name");
            int external = port(advertised.get("EXTERNAL"));
            assertEquals(external, port(listen.get("EXTERNAL")), name + ": external listener port");
            assertTrue(list(b.getValue(), "ports").contains(external + ":" + external), name + " publishes " + external);
            assertTrue(hostPorts.add(external), "host port " + external + " twice");
            String logDirs = env.get("KAFKA_LOG_DIRS");
            String volume = list(b.getValue(), "volumes").stream().filter(v -> v.endsWith(":" + logDirs)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no volume on " + logDirs));
            assertTrue(volumes.add(volume.split(":")[0]), "volume shared: " + volume);

            assertEquals("3", env.get("KAFKA_DEFAULT_REPLICATION_FACTOR"), name);
            assertEquals("2", env.get("KAFKA_MIN_INSYNC_REPLICAS"), name);
            assertEquals("3", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), name);
            assertEquals("3", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"), name);
            assertEquals("2", env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"), name);
            assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"), name);
        }
        assertEquals(1, voterSets.size(), "every node has the same voters: " + voterSets);
        assertEquals(expectedVoters, csv(voterSets.iterator().next()), "voters = the controller nodes");
        assertEquals(3, expectedVoters.size(), "three controller voters (a quorum survives one loss)");
        assertEquals(1, clusterIds.size(), "one cluster id: " + clusterIds);
        assertDoesNotThrow(() -> Uuid.fromString(clusterIds.iterator().next()), "CLUSTER_ID is a Kafka Uuid");
        @SuppressWarnings("unchecked")
        Map<String, Object> declared = (Map<String, Object>) compose.get("volumes");
        assertTrue(declared.keySet().containsAll(volumes), "declared volumes " + declared.keySet());
    }

    @Test
    void registryAndEverySatflowServiceUseAllBrokers() throws Exception {
        Map<String, Map<String, Object>> services = services(compose());
        Set<String> brokers = new TreeSet<>();
        services.forEach((name, s) -> {
            if (String.valueOf(s.get("image")).startsWith("apache/kafka:")) {
                brokers.add(listeners(env(s).get("KAFKA_ADVERTISED_LISTENERS")).get("PLAINTEXT"));
            }
        });
        Map<String, String> registry = env(services.get("schema-registry"));
        assertEquals(brokers, csv(registry.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS")));
        assertEquals("3", registry.get("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR"));

        CommandLine cli = Satflow.commandLine();
        List<String> satflow = satflowServices(services);
        assertEquals(Set.of("generate", "render", "qa", "train", "evaluate"), new TreeSet<>(satflow));
        for (String name : satflow) {
            Map<String, Object> s = services.get(name);
            Map<String, String> env = env(s);
            assertEquals(brokers, csv(env.get("SATFLOW_BOOTSTRAP")), name + ": SATFLOW_BOOTSTRAP");
            assertEquals("http://schema-registry:8081", env.get("SATFLOW_REGISTRY"), name);
            assertEquals("9400", env.get("SATFLOW_METRICS_PORT"), name);
            @SuppressWarnings("unchecked")
            Map<String, Object> deps = (Map<String, Object>) s.get("depends_on");
            assertTrue(deps.keySet().containsAll(services.keySet().stream()
                    .filter(n -> String.valueOf(services.get(n).get("image")).startsWith("apache/kafka:")).toList()),
                    name + " waits for every broker");
            // --scale N: nothing that two replicas could not share
            assertFalse(s.containsKey("container_name"), name);
            assertFalse(s.containsKey("hostname"), name);
            assertTrue(list(s, "ports").isEmpty(), name + " publishes no host port");
            List<String> command = list(s, "command");
            assertEquals(name, command.get(0), name + " runs its own stage");
            assertDoesNotThrow(() -> cli.parseArgs(command.toArray(String[]::new)), name + ": " + command);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void prometheusScrapesEveryStageAndGrafanaIsProvisioned() throws Exception {
        Map<String, Map<String, Object>> services = services(compose());
        Map<String, Object> prom = services.get("prometheus");
        assertTrue(list(prom, "volumes").contains("./ops/prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
        Map<String, Object> config = new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus.yml")));
        Map<String, String> jobs = new TreeMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            for (Map<String, Object> sd : (List<Map<String, Object>>) job.get("dns_sd_configs")) {
                assertEquals("A", sd.get("type"));
                for (String target : (List<String>) sd.get("names")) {
                    jobs.put(target, job.get("job_name") + ":" + sd.get("port"));
                }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (String name : satflowServices(services)) {
            expected.put(name, name + ":" + env(services.get(name)).get("SATFLOW_METRICS_PORT"));
        }
        assertEquals(expected, jobs, "one job per satflow service, named after it, on its metrics port");

        Map<String, Object> grafana = services.get("grafana");
        Map<String, String> mounts = new TreeMap<>();
        for (String v : list(grafana, "volumes")) {
            String[] p = v.split(":");
            mounts.put(p[1], p[0]);
            assertTrue(Files.isDirectory(ROOT.resolve(p[0])), "mounted folder " + p[0] + " exists");
        }
        assertEquals("./ops/grafana/provisioning", mounts.get("/etc/grafana/provisioning"));
        assertEquals("./ops/grafana/dashboards", mounts.get(GRAFANA_DASHBOARDS));
        String home = env(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertTrue(home.startsWith(GRAFANA_DASHBOARDS + "/"), home);
        assertTrue(Files.isRegularFile(ROOT.resolve("ops/grafana/dashboards").resolve(
                home.substring(GRAFANA_DASHBOARDS.length() + 1))), "home dashboard " + home);
    }

    @Test
    void dockerComposeAcceptsTheFileWhereInstalled() throws Exception {
        List<String> cli = composeCli();
        assumeTrue(cli != null, "no Docker Compose CLI here");
        List<String> cmd = new ArrayList<>(cli);
        cmd.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "config", "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }

    /**
     * `docker compose` (the v2 plugin) when it answers `version`; null otherwise. The retired Python
     * `docker-compose` 1.x predates the top-level `name` and is not asked.
     */
    private static List<String> composeCli() {
        try {
            Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? List.of("docker", "compose") : null;
        } catch (Exception absent) {
            return null; // no docker CLI
        }
    }

    private static List<String> satflowServices(Map<String, Map<String, Object>> services) {
        return services.entrySet().stream().filter(e -> "satflow:dev".equals(e.getValue().get("image")))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
