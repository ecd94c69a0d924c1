/*
 * Creates Kafka topics if they do not exist, in one AdminClient session, and waits until
 * every requested topic has a leader for each partition. Then warms the group coordinator
 * (creates __consumer_offsets) so the first consumer of a test run joins at once instead
 * of retrying "coordinator not available" for a few seconds.
 *
 * Why not kafka-topics (org.apache.kafka.tools.TopicCommand)? It creates one topic per JVM
 * start, ~2-3 s each on this 2-core machine; the Crucible topic list is dozens long.
 * Compiled once by infra/kafka/provision against the provisioned jars.
 *
 * Usage: CreateTopics --bootstrap HOST:PORT [--partitions N] [--dlq-partitions N]
 *                     [--timeout-ms MS] TOPIC...
 * Topics ending in ".dlq" get --dlq-partitions; others get --partitions. Replication is 1.
 */
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;

public final class CreateTopics {
    private static final short REPLICATION_FACTOR = 1;
    private static final long POLL_INTERVAL_MS = 200;
    private static final String WARMUP_GROUP = "crucible-coordinator-warmup";

    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        int partitions = 3;
        int dlqPartitions = 1;
        long timeoutMs = 60_000;
        Set<String> topics = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap": bootstrap = args[++i]; break;
                case "--partitions": partitions = Integer.parseInt(args[++i]); break;
                case "--dlq-partitions": dlqPartitions = Integer.parseInt(args[++i]); break;
                case "--timeout-ms": timeoutMs = Long.parseLong(args[++i]); break;
                default:
                    if (args[i].startsWith("--")) usage("unknown option " + args[i]);
                    if (!args[i].isBlank()) topics.add(args[i].trim());
            }
        }
        if (bootstrap == null) usage("--bootstrap is required");

        long deadline = System.currentTimeMillis() + timeoutMs;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "crucible-create-topics");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(remaining(deadline), TimeUnit.MILLISECONDS);
            List<NewTopic> toCreate = new ArrayList<>();
            for (String topic : topics) {
                if (existing.contains(topic)) continue;
                int n = topic.endsWith(".dlq") ? dlqPartitions : partitions;
                toCreate.add(new NewTopic(topic, n, REPLICATION_FACTOR));
            }
            int created = 0;
            if (!toCreate.isEmpty()) for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e
                    : admin.createTopics(toCreate).values().entrySet()) {
                try {
                    e.getValue().get(remaining(deadline), TimeUnit.MILLISECONDS);
                    created++;
                } catch (ExecutionException ex) {
                    // A concurrent creator won the race: that is the idempotent outcome we want.
                    if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
                }
            }
            if (!topics.isEmpty()) awaitLeaders(admin, topics, deadline);
            // FindCoordinator for any group makes the broker create __consumer_offsets.
            try {
                admin.describeConsumerGroups(List.of(WARMUP_GROUP)).all()
                    .get(remaining(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException ex) {
                // Kafka 4's group coordinator answers "no such group" once it is available.
                if (!(ex.getCause() instanceof GroupIdNotFoundException)) throw ex;
            }
            System.err.printf("[kafka] topics ready: %d requested, %d created, %d already existed%n",
                topics.size(), created, topics.size() - created);
        }
    }

    private static void awaitLeaders(Admin admin, Set<String> topics, long deadline) throws Exception {
        while (true) {
            Map<String, TopicDescription> described = admin.describeTopics(topics)
                .allTopicNames().get(remaining(deadline), TimeUnit.MILLISECONDS);
            boolean ready = described.values().stream()
                .allMatch(d -> d.partitions().stream().allMatch(CreateTopics::hasLeader));
            if (ready) return;
            if (System.currentTimeMillis() >= deadline) {
                throw new IllegalStateException("timed out waiting for partition leaders");
            }
            Thread.sleep(POLL_INTERVAL_MS);
        }
    }

    private static boolean hasLeader(TopicPartitionInfo p) {
        return p.leader() != null && !p.leader().isEmpty();
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.currentTimeMillis());
    }

    private static void usage(String problem) {
        System.err.println("CreateTopics: " + problem);
        System.err.println("usage: CreateTopics --bootstrap HOST:PORT [--partitions N] "
            + "[--dlq-partitions N] [--timeout-ms MS] TOPIC...");
        System.exit(2);
    }
}
