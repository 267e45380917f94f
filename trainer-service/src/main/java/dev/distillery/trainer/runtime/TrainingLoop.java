package dev.distillery.trainer.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.distillery.checkpoint.CheckpointException;
import dev.distillery.checkpoint.CheckpointManifest;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.kafka.KafkaClients;
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import dev.distillery.trainer.checkpoint.CheckpointPublisher;
import dev.distillery.trainer.config.DistilleryConfig;
import dev.distillery.trainer.intake.ExampleValidator;
import dev.distillery.trainer.intake.IntakeItem;
import dev.distillery.trainer.intake.LabeledTopicConsumer;
import dev.distillery.trainer.intake.RejectionPublisher;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.Evaluation;
import dev.distillery.trainer.training.EvaluationGate;
import dev.distillery.trainer.training.GateDecision;
import dev.distillery.trainer.training.LengthAugmentation;
import dev.distillery.trainer.training.PublishedCheckpoint;
import dev.distillery.trainer.training.RoundResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The running trainer, free of CDI so tests can start, stop and restart it against a real broker: one training thread that owns the model and the {@link Distiller} (DJL allows one gradient
 * collector per JVM, and the model is never touched by two threads), and one consumer thread that reads the labeled
 * topic into a bounded queue. The training thread loads or restores the model, trains rounds, gates, writes and
 * announces checkpoints, then asks the consumer thread to commit the offsets they cover.
 */
public final class TrainingLoop {

    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);
    private static final long RETRY_ANNOUNCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(60);

    private final DistilleryConfig config;
    private final KafkaClients kafka;
    private final MeterRegistry registry;
    private final Timer stepTimer;
    private final ConcurrentLinkedQueue<CompletableFuture<TrainerStatus>> forceRequests = new ConcurrentLinkedQueue<>();

    private volatile TrainerStatus status = TrainerStatus.starting("starting", "loading the model");
    private volatile boolean stopping;
    private volatile boolean modelLoaded;
    private volatile double lastExamplesPerSecond = Double.NaN;
    private volatile long queued;
    private volatile Distiller.Snapshot counters;
    private volatile CascadeStatus cascadeStatus;
    private Thread trainingThread;
    private Thread consumerThread;
    private volatile LabeledTopicConsumer consumer;

    // Owned by the training thread.
    private TaskSpec task;
    private Distiller distiller;
    private EvaluationGate gate;
    /** Recent examples per label kept to build longer texts from (a few batches' worth). */
    private static final int AUGMENT_POOL_PER_LABEL = 64;
    private CheckpointPublisher publisher;
    private RejectionPublisher rejections;
    private BlockingQueue<IntakeItem> queue;
    private long nextVersion;
    private StoredCheckpoint unannounced;
    private long lastAnnounceAttempt;
    private String lastDecision = "no round yet";
    private String lastRoundKind;
    private Map<String, Long> lastPublishedOffsets = Map.of();
    /** Metrics of the last written checkpoint (its calibration), for the status. */
    private Map<String, Double> publishedMetrics = Map.of();

    public TrainingLoop(DistilleryConfig config, KafkaClients kafka, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.kafka = kafka;
        this.stepTimer = Timer.builder("distillery.trainer.step")
                .description("Wall time of one optimizer step")
                .publishPercentileHistogram()
                .register(registry);
        registerMetrics();
    }

    /** Starts the training thread, which loads (or restores) the model and then starts the consumer. */
    public void start() {
        trainingThread = new Thread(this::runTraining, "distillery-trainer");
        trainingThread.setDaemon(true);
        trainingThread.start();
    }

    /**
     * Stops both threads and releases the model; what is not checkpointed is read again on the next start. The
     * training thread starts no round after this and is not interrupted: a round in progress finishes (its
     * checkpoint is written whole, never cut by an interrupt mid-file); only one stuck past {@link #STOP_GRACE} is
     * interrupted.
     */
    public void stop() {
        stopping = true;
        LabeledTopicConsumer c = consumer;
        if (c != null) {
            c.stop();
        }
        join(consumerThread, TimeUnit.SECONDS.toMillis(15));
        if (trainingThread != null) {
            join(trainingThread, STOP_GRACE.toMillis());
            if (trainingThread.isAlive()) {
                LOG.warnf("the training thread is still busy %d s after stop; interrupting it", STOP_GRACE.toSeconds());
                trainingThread.interrupt();
                join(trainingThread, TimeUnit.SECONDS.toMillis(15));
            }
        }
    }

    public TrainerStatus status() {
        return status;
    }

    /** The training thread's counters as of its last status refresh (null before the model is loaded). */
    public Distiller.Snapshot counters() {
        return counters;
    }

    /** Ready: the model is loaded and the consumer is reading its partitions. */
    public boolean ready() {
        LabeledTopicConsumer c = consumer;
        return modelLoaded && c != null && c.running() && trainingThread != null && trainingThread.isAlive();
    }

    /** {@code reading}, {@code waiting for the broker} (no partitions yet) or {@code stopped}. */
    public String consumerState() {
        LabeledTopicConsumer c = consumer;
        if (c == null) {
            return modelLoaded ? "stopped" : "not started";
        }
        return c.running() ? "reading" : c.failure() != null ? "failed: " + c.failure() : "waiting for the broker";
    }

    /** Live: the training thread has not died and the consumer has not failed. */
    public boolean live() {
        LabeledTopicConsumer c = consumer;
        boolean threadOk = trainingThread == null || trainingThread.isAlive() || stopping;
        return threadOk && (c == null || c.failure() == null) && !"failed".equals(status.state());
    }

    /** Asks the training thread for a round and a checkpoint; completes with the status after it. */
    public CompletableFuture<TrainerStatus> forceCheckpoint() {
        if (!modelLoaded || !trainingThread.isAlive()) {
            return CompletableFuture.failedFuture(new TrainerNotReadyException("the trainer is " + status.state()));
        }
        CompletableFuture<TrainerStatus> request = new CompletableFuture<>();
        forceRequests.add(request);
        return request;
    }

    private void runTraining() {
        try {
            initialise();
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            LOG.error("the training thread failed", e);
            status = TrainerStatus.starting("failed", e.toString());
            CompletableFuture<TrainerStatus> request;
            while ((request = forceRequests.poll()) != null) {
                request.completeExceptionally(new TrainerNotReadyException("the trainer failed: " + e));
            }
        } finally {
            closeQuietly();
        }
    }

    private void initialise() throws IOException {
        DistilleryConfig.TrainerConfig t = config.trainer();
        task = TaskSpec.loadOrDefault(config.task().path());
        BaseModel base = BaseModel.resolve(config.model().base());
        CheckpointStore store = new CheckpointStore(Path.of(config.checkpoints().dir()), t.keepCheckpoints());
        List<StoredCheckpoint> existing = store.list(task.name()).stream()
                .sorted(Comparator.comparingLong(StoredCheckpoint::version).reversed()).toList();
        nextVersion = existing.isEmpty() ? 1 : existing.get(0).version() + 1;

        StudentModel model = null;
        StoredCheckpoint restored = null;
        for (StoredCheckpoint candidate : existing) {
            Optional<String> problem = incompatibility(candidate.manifest(), base);
            if (problem.isPresent()) {
                LOG.warnf("not resuming from v%d: %s", candidate.version(), problem.get());
                continue;
            }
            try {
                model = StudentModel.load(base, candidate.directory(), config.model().device());
                restored = candidate;
                break;
            } catch (CheckpointException | RuntimeException e) {
                LOG.warnf("cannot resume from v%d (%s); trying an older one", candidate.version(), e.getMessage());
            }
        }
        Map<String, Long> resumeOffsets = Map.of();
        PublishedCheckpoint lastPublished = null;
        if (model == null) {
            LoraConfig lora = new LoraConfig(t.lora().rank(), t.lora().alpha(), t.lora().dropout(),
                    t.lora().targetModules(), LoraConfig.trainEmbeddings(t.lora().trainEmbeddings(), base));
            model = StudentModel.create(base, lora, task.labels(), config.model().device(), t.seed());
            LOG.infof("fresh student on base %s (%d of %d parameters trainable) on %s", base.id(),
                    model.trainableParameters(), model.totalParameters(), model.device());
        } else {
            resumeOffsets = restored.manifest().offsets();
            lastPublishedOffsets = resumeOffsets;
            publishedMetrics = restored.manifest().metrics();
            Double agreement = restored.manifest().metrics().get("heldOutAgreement");
            lastPublished = new PublishedCheckpoint(restored.version(), uri(restored),
                    agreement == null ? Double.NaN : agreement);
            unannounced = restored; // announce again: the process may have stopped between writing and announcing
            LOG.infof("resumed from checkpoint v%d (agreement %s) covering offsets %s, on %s", restored.version(),
                    agreement, resumeOffsets, model.device());
        }
        gate = new EvaluationGate(t.gate().minAgreementDelta(), t.gate().alwaysPublish(),
                t.gate().minBucketExamples(), t.gate().bucketTolerance());
        String device = config.model().device();
        distiller = new Distiller(model, settings(t),
                new Distiller.CascadeSettings(t.cascade().targetAgreement(), t.cascade().deferralWeight()),
                resumeOffsets, lastPublished,
                nanos -> stepTimer.record(nanos, TimeUnit.NANOSECONDS), published -> {
                    try {
                        return StudentModel.load(base, Path.of(java.net.URI.create(published.uri())), device);
                    } catch (CheckpointException e) {
                        throw new IllegalStateException("cannot load checkpoint v" + published.version()
                                + " to compare with: " + e.getMessage(), e);
                    }
                }, new LengthAugmentation(t.augment().share(), t.augment().minChars(), t.augment().maxChars(),
                        AUGMENT_POOL_PER_LABEL));
        publisher = new CheckpointPublisher(store, kafka.producer("distillery-trainer-checkpoints"),
                config.topics().checkpoints(), task);
        rejections = new RejectionPublisher(kafka.producer("distillery-trainer-rejections"), config.topics().rejected());
        queue = new ArrayBlockingQueue<>(t.queueCapacity());
        consumer = new LabeledTopicConsumer(
                kafka.consumer("distillery-trainer", t.groupId() + "-" + task.name(), 500),
                config.topics().labeled(), new ExampleValidator(task, t.requirePromptMatch()), rejections, queue,
                resumeOffsets);
        consumerThread = new Thread(consumer, "distillery-trainer-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
        modelLoaded = true;
        refreshStatus();
    }

    private void loop() throws InterruptedException {
        boolean caughtUp = false;
        while (!stopping) {
            IntakeItem item = queue.poll(50, TimeUnit.MILLISECONDS);
            if (item != null) {
                acceptAndMaybeTrain(item);
                // Take what else is waiting without blocking, so status updates stay cheap under load.
                for (int i = 0; i < 256 && !stopping && (item = queue.poll()) != null; i++) {
                    acceptAndMaybeTrain(item);
                }
            }
            if (!caughtUp && distiller.caughtUp()) {
                caughtUp = true;
                if (distiller.snapshot().lastPublished().isPresent()) {
                    // Show the restored model's agreement (on the rebuilt held-out slice) before any new round.
                    distiller.evaluate();
                }
            }
            if (stopping) {
                break;
            }
            if (distiller.roundDue(System.nanoTime())) {
                round(false);
            } else if (caughtUp && queue.isEmpty() && forceRequests.isEmpty()
                    && distiller.consolidationDue(System.nanoTime())) {
                round(false); // the stream paused: another pass over what has been seen
            }
            CompletableFuture<TrainerStatus> request = forceRequests.poll();
            if (request != null) {
                handleForced(request);
            }
            retryAnnouncement(false);
            queued = queue.size();
            refreshStatus();
        }
    }

    private void acceptAndMaybeTrain(IntakeItem item) {
        distiller.accept(item, System.nanoTime());
        if (!stopping && distiller.roundDue(System.nanoTime())) {
            round(false);
        }
    }

    private void handleForced(CompletableFuture<TrainerStatus> request) {
        try {
            // Everything handed over when the request arrived (not what a busy stream keeps adding meanwhile).
            IntakeItem item;
            for (int n = queue.size(); n > 0 && (item = queue.poll()) != null; n--) {
                acceptAndMaybeTrain(item);
            }
            Distiller.Snapshot s = distiller.snapshot();
            if (s.lastPublished().isEmpty() && s.examplesSeen() == 0) {
                request.completeExceptionally(new NothingToCheckpointException(
                        "no valid labeled example has arrived yet; nothing to train a first checkpoint on"));
                return;
            }
            if (s.lastPublished().isPresent() && s.pendingExamples() == 0 && s.replayExamples() == 0
                    && !distiller.trainedSinceCheckpoint() && distiller.positions().equals(lastPublishedOffsets)) {
                lastDecision = "forced: nothing trained since v" + s.lastPublished().get().version();
                LOG.info(lastDecision);
            } else if (s.pendingExamples() == 0 && s.replayExamples() > 0) {
                forcedConsolidation();
            } else {
                round(true);
            }
            refreshStatus();
            request.complete(status);
        } catch (RuntimeException e) {
            request.completeExceptionally(e);
        }
    }

    /**
     * A forced checkpoint with nothing new: consolidation rounds over the replay buffer until one beats the last
     * published checkpoint (published by the ordinary gate) or {@code patience} rounds did not; the last of those is
     * then gated as a forced round (published unless it agrees less).
     */
    private void forcedConsolidation() {
        int attempts = Math.max(1, config.trainer().patience());
        for (int i = 1; i < attempts && !stopping; i++) {
            RoundResult r = distiller.runRound();
            java.util.OptionalDouble last = distiller.lastPublishedAgreement();
            if (last.isPresent() && Double.isFinite(last.getAsDouble())
                    && r.evaluation().agreement() > last.getAsDouble() + 1e-9) {
                gateAndPublish(r, false);
                return;
            }
            LOG.infof("round %d (%s, forced): agreement %.4f does not beat the last checkpoint's; another round",
                    r.round(), r.kind().label(), r.evaluation().agreement());
            lastRoundKind = r.kind().label();
        }
        if (!stopping) {
            round(true);
        }
    }

    private void round(boolean forced) {
        gateAndPublish(distiller.runRound(), forced);
    }

    private void gateAndPublish(RoundResult r, boolean forced) {
        lastExamplesPerSecond = r.examplesPerSecond();
        GateDecision decision = gate.decide(r.evaluation(), distiller.lastPublishedEvaluation(),
                distiller.lastPublishedAgreement(), forced);
        lastRoundKind = r.kind().label();
        LOG.infof("round %d (%s%s): %d steps, %d new + %d replayed, loss %.4f, step %.1f ms, %.0f examples/s, "
                + "held-out agreement %.4f on %d %s -> %s %s", r.round(), r.kind().label(), forced ? ", forced" : "", r.steps(),
                r.newExamples(), r.replayedExamples(), r.meanLoss(), r.meanStepMillis(), r.examplesPerSecond(),
                r.evaluation().agreement(), r.evaluation().examples(), r.evaluation().byLabel(),
                decision.publish() ? "publish" : "refuse", decision.reason());
        if (!decision.publish()) {
            lastDecision = "refused: " + decision.reason();
        } else {
            publish(decision);
        }
        refreshStatus(); // a busy stream can keep the loop in this batch for several rounds
    }

    private void publish(GateDecision decision) {
        Map<String, Long> offsets = distiller.positions();
        StoredCheckpoint written;
        try {
            rejections.flush(); // rejections of covered records must be on the broker before offsets move past them
            written = publisher.write(nextVersion, distiller.model(), distiller.checkpointMetrics(), offsets);
        } catch (IOException | RuntimeException e) {
            lastDecision = "checkpoint failed: " + e.getMessage();
            LOG.error("cannot write checkpoint v" + nextVersion + "; the next round tries again", e);
            return;
        }
        nextVersion = written.version() + 1;
        lastPublishedOffsets = offsets;
        Double agreement = written.manifest().metrics().get("heldOutAgreement");
        publishedMetrics = written.manifest().metrics();
        distiller.markPublished(new PublishedCheckpoint(written.version(), uri(written),
                agreement == null ? Double.NaN : agreement));
        lastDecision = "published v" + written.version() + ": " + decision.reason();
        unannounced = written;
        retryAnnouncement(true);
        consumer.requestCommit(offsets);
    }

    private void retryAnnouncement(boolean now) {
        if (unannounced == null || (!now && System.nanoTime() - lastAnnounceAttempt < RETRY_ANNOUNCE_NANOS)) {
            return;
        }
        lastAnnounceAttempt = System.nanoTime();
        try {
            publisher.announce(unannounced);
            LOG.infof("announced checkpoint v%d at %s", unannounced.version(), uri(unannounced));
            unannounced = null;
        } catch (IOException e) {
            LOG.warnf("announcement of v%d failed (%s); retrying", unannounced.version(), e.getMessage());
        }
    }

    private void refreshStatus() {
        Distiller.Snapshot s = distiller.snapshot();
        counters = s;
        cascadeStatus = CascadeStatus.of(distiller, publishedMetrics, config.trainer().cascade().targetAgreement());
        Evaluation now = distiller.lastPublishedEvaluation().orElse(Evaluation.NONE);
        TrainerStatus.CheckpointRef ref = s.lastPublished()
                .map(p -> new TrainerStatus.CheckpointRef(p.version(), p.uri(), TrainerStatus.finite(p.heldOutAgreement()),
                        TrainerStatus.finite(now.agreement()), now.byLabel(), now.examples()))
                .orElse(null);
        status = new TrainerStatus(s.examplesSeen(), s.trainExamples(), s.heldOutExamples(), s.duplicates(),
                s.rejected(), s.rounds(), TrainerStatus.finite(s.lastLoss()),
                TrainerStatus.finite(s.evaluation().agreement()), s.evaluation().byLabel(), ref,
                distiller.model().device(), "running", task.name(), distiller.model().base().id(),
                s.pendingExamples(), s.replayExamples(), s.trainedExamples(), lastDecision, s.consolidationRounds(),
                lastRoundKind, s.evaluation().byLength(), s.evaluation().countByLength(), cascadeStatus);
    }

    private Optional<String> incompatibility(CheckpointManifest manifest, BaseModel base) {
        if (!task.name().equals(manifest.task())) {
            return Optional.of("it is for task " + manifest.task());
        }
        if (!task.labels().equals(manifest.labels())) {
            return Optional.of("its labels " + manifest.labels() + " differ from the task's " + task.labels());
        }
        if (!task.promptSha256().equals(manifest.promptSha256())) {
            return Optional.of("it was distilled from another prompt");
        }
        if (!base.sha256().equals(manifest.baseModelSha256())) {
            return Optional.of("it was trained on another base (" + manifest.baseModelId() + ")");
        }
        return Optional.empty();
    }

    private static Distiller.Settings settings(DistilleryConfig.TrainerConfig t) {
        return new Distiller.Settings(t.batchSize(), t.roundInterval().toNanos(), t.stepsPerRound(),
                t.stepBatchSize(), t.replayFraction(), t.replaySize(), t.learningRate(), t.heldOutPercent(),
                t.heldOutMax(), t.seed(), t.idleInterval().toNanos(), t.patience(), t.consolidationLrDecay(),
                t.consolidationMinLrFactor(), t.consolidationAverageWeights());
    }

    private static String uri(StoredCheckpoint checkpoint) {
        return checkpoint.directory().toAbsolutePath().toUri().toString();
    }

    private void registerMetrics() {
        FunctionCounter.builder("distillery.trainer.examples", this, s -> count(s, Distiller.Snapshot::examplesSeen))
                .description("Distinct valid labeled examples taken").register(registry);
        FunctionCounter.builder("distillery.trainer.duplicates", this, s -> count(s, Distiller.Snapshot::duplicates))
                .description("Labeled examples whose id was seen before").register(registry);
        FunctionCounter.builder("distillery.trainer.rejected", this, s -> count(s, Distiller.Snapshot::rejected))
                .description("Labeled records rejected").register(registry);
        FunctionCounter.builder("distillery.trainer.trained.examples", this,
                s -> count(s, Distiller.Snapshot::trainedExamples))
                .description("Training examples covered by a round").register(registry);
        FunctionCounter.builder("distillery.trainer.deferrals.trained", this,
                s -> s.cascadeStatus == null ? 0 : s.cascadeStatus.trainedDeferrals())
                .description("Training examples from a student's deferral covered by a round").register(registry);
        FunctionCounter.builder("distillery.trainer.rounds", this, s -> count(s, Distiller.Snapshot::rounds))
                .register(registry);
        Gauge.builder("distillery.trainer.loss", this, s -> s.counters == null ? Double.NaN : s.counters.lastLoss())
                .description("Mean training loss of the last round").register(registry);
        Gauge.builder("distillery.trainer.heldout.agreement", this,
                s -> s.counters == null ? Double.NaN : s.counters.evaluation().agreement())
                .description("Held-out agreement with the teacher after the last round").register(registry);
        Gauge.builder("distillery.trainer.examples.per.second", this, s -> s.lastExamplesPerSecond)
                .description("Example slots trained per second of step time in the last round").register(registry);
        Gauge.builder("distillery.trainer.queue.size", this, s -> s.queued)
                .description("Records handed over by the consumer, waiting for the training thread").register(registry);
        Gauge.builder("distillery.trainer.checkpoint.version", this,
                s -> s.counters == null ? 0 : s.counters.lastPublished().map(PublishedCheckpoint::version).orElse(0L))
                .register(registry);
    }

    private static double count(TrainingLoop service, java.util.function.ToLongFunction<Distiller.Snapshot> f) {
        Distiller.Snapshot s = service.counters;
        return s == null ? 0 : f.applyAsLong(s);
    }

    private void closeQuietly() {
        // Stopping interrupts this thread; clear the flag so the clients below close cleanly instead of aborting.
        Thread.interrupted();
        modelLoaded = false;
        LabeledTopicConsumer c = consumer;
        if (c != null) {
            c.stop();
        }
        join(consumerThread, TimeUnit.SECONDS.toMillis(15));
        if (publisher != null) {
            publisher.close();
        }
        if (rejections != null) {
            rejections.close();
        }
        if (distiller != null) {
            distiller.closeChampion();
            distiller.model().close();
        }
    }

    private static void join(Thread thread, long millis) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
