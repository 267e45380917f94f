package dev.distillery.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Reading whole topics from their first record: the trainer refills its replay buffer, the student finds the newest
 * checkpoint, the demo tallies outcomes. The consumer joins no group for it: it assigns itself every partition, so
 * each reader sees everything, whatever other readers do.
 */
public final class FromBeginning {

    private static final Logger LOG = Logger.getLogger(FromBeginning.class);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofMillis(500);

    private FromBeginning() {
    }

    /**
     * Waits until every topic exists (the platform creates them; a reader started first waits rather than fails),
     * assigns all their partitions and seeks to the beginning.
     *
     * @param keepWaiting asked between attempts; once false (or the thread is interrupted) this gives up
     * @return the assigned partitions, or an empty list when it gave up
     */
    public static List<TopicPartition> assign(Consumer<?, ?> consumer, Collection<String> topics,
            BooleanSupplier keepWaiting) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<TopicPartition> found = partitionsOf(consumer, topic, keepWaiting);
            if (found.isEmpty()) {
                return List.of();
            }
            partitions.addAll(found);
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return List.copyOf(partitions);
    }

    private static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, BooleanSupplier keepWaiting) {
        while (keepWaiting.getAsBoolean()) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_WAIT);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                }
                LOG.infof("topic %s has no partitions yet; waiting", topic);
            } catch (TimeoutException e) {
                LOG.infof("waiting for topic %s (%s)", topic, e.getMessage());
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
