package dev.distillery.trainer.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import dev.distillery.kafka.FromBeginning;
import dev.distillery.messages.Rejected;

/**
 * Reads {@code distill.labeled} on its own thread with a plain {@link Consumer} and hands every record, in order, to
 * the training thread through a bounded queue.
 *
 * <p>Why a plain consumer and not a SmallRye channel: the trainer needs three things a channel only gives indirectly
 * — (1) the position is reset to the beginning on every start (to refill the replay buffer and the held-out slice),
 * (2) offsets are committed only when a checkpoint covering them is written, long after the records were
 * acknowledged to the framework, and (3) fetching stops while training is busy. Here they are three explicit lines:
 * {@link FromBeginning#assign}, {@link #requestCommit}, and a blocking hand-over (no poll while the
 * queue is full, which is safe because a manually assigned consumer has no group membership to lose).
 *
 * <p>Invalid records are published to the rejected topic here, except those before the restored checkpoint's
 * offsets: they were published (and acknowledged) before that checkpoint was written.
 */
public final class LabeledTopicConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(LabeledTopicConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String STAGE = "trainer";

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final ExampleValidator validator;
    private final RejectionPublisher rejections;
    private final BlockingQueue<IntakeItem> queue;
    private final Map<String, Long> resumeOffsets;
    private final AtomicReference<Map<TopicPartition, OffsetAndMetadata>> commitRequest = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile boolean running;
    private volatile Throwable failure;

    public LabeledTopicConsumer(Consumer<String, byte[]> consumer, String topic, ExampleValidator validator,
            RejectionPublisher rejections, BlockingQueue<IntakeItem> queue, Map<String, Long> resumeOffsets) {
        this.consumer = consumer;
        this.topic = topic;
        this.validator = validator;
        this.rejections = rejections;
        this.queue = queue;
        this.resumeOffsets = Map.copyOf(resumeOffsets);
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = FromBeginning.assign(consumer, List.of(topic), () -> !stopping);
            if (partitions.isEmpty()) {
                return;
            }
            running = true;
            LOG.infof("reading %s from the beginning (%d partitions); checkpoint covers %s", topic, partitions.size(),
                    resumeOffsets);
            while (!stopping) {
                commitIfRequested();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    IntakeItem item = toItem(record);
                    while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        commitIfRequested();
                        if (stopping) {
                            return;
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("labeled-topic consumer failed", e);
        } finally {
            running = false;
            commitIfRequested();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the consumer thread to commit these next offsets (per {@code topic-partition}) for the trainer's group. */
    public void requestCommit(Map<String, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((key, next) -> {
            int dash = key.lastIndexOf('-');
            if (dash > 0 && key.substring(0, dash).equals(topic)) {
                commit.put(new TopicPartition(topic, Integer.parseInt(key.substring(dash + 1))),
                        new OffsetAndMetadata(next));
            }
        });
        commitRequest.set(commit);
    }

    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /** True while the consumer has its partitions and is reading. */
    public boolean running() {
        return running;
    }

    public Throwable failure() {
        return failure;
    }

    public static String partitionKey(String topic, int partition) {
        return topic + "-" + partition;
    }

    private IntakeItem toItem(ConsumerRecord<String, byte[]> record) {
        String partition = partitionKey(record.topic(), record.partition());
        Validation validation = validator.validate(record.key(), record.value());
        if (validation instanceof Validation.Valid valid) {
            return new IntakeItem.Accepted(partition, record.offset(), valid.example());
        }
        Validation.Invalid invalid = (Validation.Invalid) validation;
        if (record.offset() >= resumeOffsets.getOrDefault(partition, 0L)) {
            String id = invalid.id() != null ? invalid.id() : partition + "@" + record.offset();
            rejections.publish(Rejected.of(id, STAGE, invalid.reason(), invalid.detail(),
                    record.value() == null ? new byte[0] : record.value(), Instant.now()));
        }
        return new IntakeItem.Skipped(partition, record.offset(), invalid.reason().code());
    }

    private void commitIfRequested() {
        Map<TopicPartition, OffsetAndMetadata> commit = commitRequest.getAndSet(null);
        if (commit == null || commit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commit, Duration.ofSeconds(10));
            LOG.debugf("committed %s", commit);
        } catch (RuntimeException e) {
            // The checkpoint manifest is where the trainer resumes; the committed offsets are for lag monitoring.
            LOG.warnf("offset commit failed (%s); the next checkpoint commits again", e.toString());
        }
    }
}
