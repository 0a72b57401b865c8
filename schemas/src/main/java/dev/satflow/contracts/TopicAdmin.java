package dev.satflow.contracts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics from the declarative registry; existing topics are left as they are. New topics are
 * replicated for the cluster they land on: replication factor min(3, brokers), min.insync.replicas 2
 * (1 on a single broker), see {@link TopicSettings#replicationFactor(int)}.
 */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    /** Creates every missing topic; returns the names it created. */
    public static List<String> ensure(String bootstrap, Collection<? extends Topic<?, ?>> topics) {
        return ensure(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "satflow-topic-admin"), topics);
    }

    /** {@link #ensure(Admin, Collection)} with an admin client of this config (say, one with security settings). */
    public static List<String> ensure(Map<String, Object> adminConfig, Collection<? extends Topic<?, ?>> topics) {
        try (Admin admin = Admin.create(adminConfig)) {
            return ensure(admin, topics);
        }
    }

    public static List<String> ensure(Admin admin, Collection<? extends Topic<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            int rf = -1;
            for (Topic<?, ?> t : topics) {
                if (!existing.contains(t.name())) {
                    if (rf < 0) {
                        rf = replicationFactor(admin);
                    }
                    missing.add(new NewTopic(t.name(), t.settings().partitions(), (short) rf)
                            .configs(t.settings().configs(rf)));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until every partition of the topics has a leader. A producer that writes to a partition the
     * broker has not taken the lead of yet gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer's
     * retries of its first batches can then be refused as out of sequence for good.
     */
    private static void awaitLeaders(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            boolean led;
            try {
                led = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                led = false; // created, but this broker has not heard of it yet
            }
            if (led) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + names + " still without a leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** The replication factor for new topics on the cluster behind this client: min(3, live brokers). */
    public static int replicationFactor(Admin admin) {
        try {
            return TopicSettings.replicationFactor(admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the cluster: " + e.getMessage(), e);
        }
    }

    /** {@link #replicationFactor(Admin)} with an admin client of this config. */
    public static int replicationFactor(Map<String, Object> adminConfig) {
        try (Admin admin = Admin.create(adminConfig)) {
            return replicationFactor(admin);
        }
    }
}
