package dev.distillery.student.checkpoint;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.MessageCodec;
import dev.distillery.model.GradMode;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.ServedModel;
import dev.distillery.student.serving.StudentSetup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Follows {@code distill.checkpoints} on its own thread. Every replica must see every announcement, so the consumer
 * joins no group: it assigns itself all partitions, reads the compacted topic from the beginning up to its end offsets,
 * loads the newest announcement for its task (falling back to older ones if the newest is refused), then loads each
 * newer announcement as it arrives. Loading, verification and warm-up happen here, never on a serving thread; a
 * refused checkpoint is logged and counted and the current model keeps serving.
 */
@ApplicationScoped
public class CheckpointFollower {

    private static final Logger LOG = Logger.getLogger(CheckpointFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * A real announcement is well under 4 KB; anything larger is refused before it is parsed, so a poison record on
     * the topic costs one log line, never memory or a retry loop (the follower moves past it like any refusal).
     */
    static final int MAX_ANNOUNCEMENT_BYTES = 64 * 1024;

    private final CheckpointLoader loader;
    private final ModelSlots slots;
    private final StudentSetup setup;
    private final StudentConfig config;
    private final String bootstrapServers;
    private final MeterRegistry registry;
    private final Counter malformed;
    private final AtomicReference<Refusal> lastRefusal = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    /** Newest version ever put into service: older or equal announcements (re-reads, duplicates) are skipped. */
    private long newestServed = Long.MIN_VALUE;

    public CheckpointFollower(CheckpointLoader loader, ModelSlots slots, StudentSetup setup, StudentConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this.loader = loader;
        this.slots = slots;
        this.setup = setup;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.malformed = refusedCounter("malformed");
        for (String reason : List.of("base-mismatch", "labels-mismatch", "verification-failed", "load-failed")) {
            refusedCounter(reason);
        }
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    /** Starts following (the service calls this at startup; tests start extra replicas with it). */
    public void start() {
        if (config.student().serveUntrainedBase()) {
            LOG.warn("serving the untrained base until the first checkpoint (distillery.student.serve-untrained-base)");
            slots.install(loader.untrainedBase(config.student().seed()));
        }
        thread = Thread.ofPlatform().name("student-checkpoints").daemon().start(this::run);
    }

    /** True once the topic has been read up to the end offsets seen at start (and the newest checkpoint tried). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The follower thread is alive (it reconnects by itself after broker errors). */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public Refusal lastRefusal() {
        return lastRefusal.get();
    }

    private void run() {
        GradMode.offForThisThread("checkpoint");
        while (running) {
            // The consumer's own metrics (lag, fetch rates) at /q/metrics while it lives; closing unregisters them.
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties());
                    KafkaClientMetrics metrics = new KafkaClientMetrics(c)) {
                metrics.bindTo(registry);
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                if (running) {
                    LOG.warn("checkpoint consumer woken up unexpectedly; reconnecting");
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.errorf(e, "checkpoint follower failed; retrying in 2 s (the current model keeps serving)");
                    sleep(Duration.ofSeconds(2));
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        String topic = config.topics().checkpoints();
        List<TopicPartition> partitions = List.of();
        while (running && partitions.isEmpty()) {
            partitions = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                LOG.warnf("topic %s has no partitions yet; waiting", topic);
                sleep(Duration.ofSeconds(2));
            }
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions);
        List<CheckpointAnnouncement> backlog = new ArrayList<>();
        while (running && !reached(c, ends)) {
            for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                decode(record).ifPresent(backlog::add);
            }
        }
        if (!caughtUp) {
            LOG.infof("read %s up to its end: %d announcement(s) for task %s", topic, backlog.size(), setup.task().name());
        }
        // Newest first; an older one is only tried when every newer one is refused.
        for (int i = backlog.size() - 1; i >= 0; i--) {
            if (consider(backlog.get(i))) {
                break;
            }
        }
        caughtUp = true;
        while (running) {
            var records = c.poll(POLL);
            CheckpointAnnouncement newest = null;
            for (ConsumerRecord<String, byte[]> record : records) {
                var decoded = decode(record);
                if (decoded.isPresent() && (newest == null || decoded.get().version() >= newest.version())) {
                    newest = decoded.get();
                }
            }
            // Announcements that arrived together: only the newest is worth loading.
            if (newest != null) {
                consider(newest);
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            if (c.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** An announcement for this student's task, or empty (another task, or malformed: logged and counted). */
    private Optional<CheckpointAnnouncement> decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty(); // a tombstone
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (record.value().length > MAX_ANNOUNCEMENT_BYTES) {
            malformed.increment();
            refuse(null, "malformed", "announcement at " + where + " is " + record.value().length
                    + " bytes; the limit is " + MAX_ANNOUNCEMENT_BYTES + " (skipped)");
            return Optional.empty();
        }
        CheckpointAnnouncement announcement;
        try {
            announcement = MessageCodec.decode(record.value(), CheckpointAnnouncement.class);
            if (announcement == null || announcement.task() == null || announcement.uri() == null) {
                throw new IOException("null, or no task or uri");
            }
        } catch (IOException | RuntimeException e) {
            malformed.increment();
            String message = String.valueOf(e.getMessage());
            refuse(null, "malformed", "announcement at " + where + " is not a CheckpointAnnouncement: "
                    + message.substring(0, Math.min(message.length(), 500)) + " (skipped)");
            return Optional.empty();
        }
        if (!setup.task().name().equals(announcement.task())) {
            LOG.debugf("ignoring checkpoint v%d of task %s", announcement.version(), announcement.task());
            return Optional.empty();
        }
        return Optional.of(announcement);
    }

    /** Loads and serves the announcement unless it is stale; true when it is served (or already was). */
    private boolean consider(CheckpointAnnouncement announcement) {
        if (announcement.version() <= newestServed) {
            LOG.debugf("skipping checkpoint v%d: v%d was already served", announcement.version(), newestServed);
            return true;
        }
        long started = System.nanoTime();
        ServedModel loaded;
        try {
            loaded = loader.load(announcement);
        } catch (CheckpointRefusedException e) {
            refusedCounter(e.reason()).increment();
            refuse(announcement.version(), e.reason(), e.getMessage());
            if (e.getCause() != null) {
                LOG.debug("cause of the refusal", e.getCause());
            }
            return false;
        } catch (RuntimeException | LinkageError e) {
            refusedCounter("load-failed").increment();
            refuse(announcement.version(), "load-failed", e.toString());
            LOG.error("unexpected failure loading a checkpoint", e);
            return false;
        }
        slots.install(loaded);
        newestServed = announcement.version();
        LOG.infof("checkpoint v%d loaded, verified and warmed up in %d ms", announcement.version(),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    private void refuse(Long version, String reason, String message) {
        lastRefusal.set(new Refusal(version, reason, message, Instant.now()));
        LOG.errorf("REFUSED checkpoint %s (%s): %s; still serving %s", version == null ? "?" : "v" + version, reason,
                message, slots.current().map(ServedModel::describe).orElse("nothing"));
    }

    private Counter refusedCounter(String reason) {
        return Counter.builder("distillery.student.checkpoints.refused")
                .description("Announced checkpoints refused (verification, compatibility or load failures)")
                .tag("reason", reason).register(registry);
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "student-checkpoints-" + UUID.randomUUID());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // No group: offsets are never committed, every replica reads everything.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The topic must be the compacted one the platform creates, never an auto-created default one.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
