package dev.distillery.trainer.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.distillery.cascade.AgreementOf;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.kafka.KafkaClients;
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import dev.distillery.trainer.checkpoint.CheckpointPublisher;
import dev.distillery.trainer.checkpoint.CheckpointResume;
import dev.distillery.trainer.config.DistilleryConfig;
import dev.distillery.trainer.intake.ExampleValidator;
import dev.distillery.trainer.intake.IntakeItem;
import dev.distillery.trainer.intake.LabeledTopicConsumer;
import dev.distillery.trainer.intake.RejectionPublisher;
import dev.distillery.trainer.training.BacklogEvaluation;
import dev.distillery.trainer.training.CascadeSettings;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.Evaluation;
import dev.distillery.trainer.training.EvaluationGate;
import dev.distillery.trainer.training.LengthAugmentation;
import dev.distillery.trainer.training.PublishedCheckpoint;
import dev.distillery.trainer.training.RoundResult;
import dev.distillery.trainer.training.TrainingSettings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The running trainer, free of CDI so tests can start, stop and restart it against a real broker: one training thread
 * that owns the model and the {@link Distiller} (DJL allows one gradient collector per JVM, and the model is never
 * touched by two threads), and one consumer thread that reads the labeled topic into a bounded queue. The training
 * thread restores the model ({@link CheckpointResume}) or starts a fresh one, trains rounds, and hands each to the
 * {@link RoundPublisher} (gate, write, announce, then commit the offsets covered); meters are {@link TrainerMeters}.
 *
 * <p>One concern: the two threads' lifecycle and the order of work on the training thread (intake, due rounds,
 * forced checkpoints, status); what each step does lives in the classes named above.
 */
public final class TrainingLoop {

    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(60);

    private final DistilleryConfig config;
    private final KafkaClients kafka;
    private final TrainerMeters meters;
    private final ConcurrentLinkedQueue<CompletableFuture<TrainerStatus>> forceRequests = new ConcurrentLinkedQueue<>();

    private volatile TrainerStatus status = TrainerStatus.starting("starting", "loading the model");
    private volatile boolean stopping;
    private volatile boolean modelLoaded;
    private volatile Distiller.Snapshot counters;
    private Thread trainingThread;
    private Thread consumerThread;
    private volatile LabeledTopicConsumer consumer;

    // Owned by the training thread.
    private TaskSpec task;
    private Distiller distiller;
    /** Recent examples per label kept to build longer texts from (a few batches' worth). */
    private static final int AUGMENT_POOL_PER_LABEL = 64;
    private CheckpointPublisher publisher;
    private RejectionPublisher rejections;
    private RoundPublisher releases;
    private BlockingQueue<IntakeItem> queue;
    private BacklogEvaluation backlog;

    public TrainingLoop(DistilleryConfig config, KafkaClients kafka, MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.meters = new TrainerMeters(registry);
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
        stopConsumer();
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
        CheckpointResume resume = new CheckpointResume(store, task, base, config.model().device());
        CheckpointResume.Resumed resumed = resume.resume();
        StudentModel model;
        Map<String, Long> resumeOffsets = Map.of();
        PublishedCheckpoint lastPublished = null;
        if (resumed.checkpoint().isEmpty()) {
            LoraConfig lora = new LoraConfig(t.lora().rank(), t.lora().alpha(), t.lora().dropout(),
                    t.lora().targetModules(), LoraConfig.trainEmbeddings(t.lora().trainEmbeddings(), base),
                    t.lora().tokenEvidence());
            model = StudentModel.create(base, lora, task.labels(), config.model().device(), t.seed());
            LOG.infof("fresh student on base %s (%d of %d parameters trainable) on %s", base.id(),
                    model.trainableParameters(), model.totalParameters(), model.device());
        } else {
            model = resumed.model().orElseThrow();
            StoredCheckpoint restored = resumed.checkpoint().get();
            resumeOffsets = restored.manifest().offsets();
            lastPublished = RoundPublisher.published(restored);
            LOG.infof("resumed from checkpoint v%d (agreement %s) covering offsets %s, on %s", restored.version(),
                    lastPublished.heldOutAgreement(), resumeOffsets, model.device());
        }
        backlog = new BacklogEvaluation(t.backlogEvaluationInterval());
        distiller = new Distiller(model, settings(t),
                new CascadeSettings(t.cascade().targetAgreement(), t.cascade().deferralWeight(),
                        AgreementOf.fromKey(t.cascade().agreementOf())),
                resumeOffsets, lastPublished, meters::step, p -> resume.loadPublished(p.uri(), p.version()),
                new LengthAugmentation(t.augment().share(), t.augment().fragmentShare(), t.augment().minChars(),
                        t.augment().maxChars(),
                        AUGMENT_POOL_PER_LABEL));
        publisher = new CheckpointPublisher(store, kafka.producer("distillery-trainer-checkpoints"),
                config.topics().checkpoints(), task);
        rejections = new RejectionPublisher(kafka.producer("distillery-trainer-rejections"), config.topics().rejected());
        queue = new ArrayBlockingQueue<>(t.queueCapacity());
        consumer = new LabeledTopicConsumer(
                kafka.consumer("distillery-trainer", t.groupId() + "-" + task.name(), 500),
                config.topics().labeled(), new ExampleValidator(task, t.requirePromptMatch()), rejections, queue,
                resumeOffsets);
        EvaluationGate gate = new EvaluationGate(t.gate().minAgreementDelta(), t.gate().alwaysPublish(),
                t.gate().minBucketExamples(), t.gate().bucketTolerance(), t.gate().coverageTolerance(),
                t.gate().agreementTolerance());
        releases = new RoundPublisher(distiller, gate, publisher, rejections, consumer, resumed.nextVersion(),
                resumed.checkpoint());
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
            releases.retryAnnouncement(false);
            meters.queued(queue.size());
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
                    && releases.nothingSinceLastCheckpoint()) {
                releases.decided("forced: nothing trained since v" + s.lastPublished().get().version(), null);
                LOG.info(releases.lastDecision());
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
            releases.decided(null, r.kind().label());
        }
        if (!stopping) {
            round(true);
        }
    }

    private void round(boolean forced) {
        boolean behind = !forced && queue.size() >= config.trainer().batchSize();
        RoundResult r = distiller.runRound(
                backlog.evaluateNext(behind, distiller.lastPublishedAgreement().isPresent()));
        backlog.roundDone(r.evaluated());
        gateAndPublish(r, forced);
    }

    /** Gates an evaluated round; one that skipped its evaluation is only logged (it is never gated). */
    private void gateAndPublish(RoundResult r, boolean forced) {
        meters.round(r.examplesPerSecond());
        if (r.evaluated()) {
            releases.gateAndPublish(r, forced);
        } else {
            releases.notEvaluated(r, queue.size());
        }
        refreshStatus(); // a busy stream can keep the loop in this batch for several rounds
    }

    private void refreshStatus() {
        Distiller.Snapshot s = distiller.snapshot();
        counters = s;
        CascadeStatus cascade = CascadeStatus.of(distiller, releases.publishedMetrics());
        meters.counters(s, cascade);
        status = TrainerStatus.running(s, distiller.lastPublishedEvaluation().orElse(Evaluation.NONE),
                distiller.model(), task.name(), releases.lastDecision(), releases.lastRoundKind(), cascade);
    }

    private static TrainingSettings settings(DistilleryConfig.TrainerConfig t) {
        return new TrainingSettings(t.batchSize(), t.roundInterval().toNanos(), t.stepsPerRound(),
                t.stepBatchSize(), t.replayFraction(), t.replaySize(), t.learningRate(), t.heldOutPercent(),
                t.heldOutMax(), t.seed(), t.idleInterval().toNanos(), t.patience(), t.consolidationLrDecay(),
                t.consolidationMinLrFactor(), t.consolidationAverageWeights(), t.tokenDropout(), t.emaHalfLifeSteps());
    }

    private void closeQuietly() {
        // Stopping interrupts this thread; clear the flag so the clients below close cleanly instead of aborting.
        Thread.interrupted();
        modelLoaded = false;
        stopConsumer();
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

    private void stopConsumer() {
        LabeledTopicConsumer c = consumer;
        if (c != null) {
            c.stop();
        }
        join(consumerThread, TimeUnit.SECONDS.toMillis(15));
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
