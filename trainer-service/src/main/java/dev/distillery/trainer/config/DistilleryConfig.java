package dev.distillery.trainer.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code distillery.*} key the trainer reads. Each one is overridable by an environment variable
 * ({@code distillery.trainer.batch-size} is {@code DISTILLERY_TRAINER_BATCH_SIZE}).
 */
@ConfigMapping(prefix = "distillery")
public interface DistilleryConfig {

    TopicsConfig topics();

    TaskConfig task();

    ModelConfig model();

    CheckpointsConfig checkpoints();

    TrainerConfig trainer();

    interface TopicsConfig {
        @WithDefault("distill.labeled")
        String labeled();

        @WithDefault("distill.rejected")
        String rejected();

        @WithDefault("distill.checkpoints")
        String checkpoints();
    }

    interface TaskConfig {
        /** Directory holding {@code task.json} and its prompt; empty means the built-in language-id task. */
        Optional<String> path();
    }

    interface ModelConfig {
        /** {@code tiny} (embedded, randomly initialised) or a Hugging Face BERT-layout directory. */
        @WithDefault("tiny")
        String base();

        /** {@code auto}, {@code cpu} or {@code gpu}. */
        @WithDefault("auto")
        String device();
    }

    interface CheckpointsConfig {
        @WithDefault("data/checkpoints")
        String dir();
    }

    interface TrainerConfig {
        /** B: new training examples that start a round. */
        @WithName("batch-size")
        @WithDefault("64")
        int batchSize();

        /** T: a round also starts when this much time passed since the first waiting example arrived. */
        @WithName("round-interval")
        @WithDefault("30s")
        Duration roundInterval();

        /**
         * The stream counts as paused when nothing arrived for this long: waiting new examples are trained at once,
         * and then consolidation rounds (replay only) run while it stays paused.
         */
        @WithName("idle-interval")
        @WithDefault("3s")
        Duration idleInterval();

        /**
         * Consolidation rounds in a row without a better held-out agreement after which they stop until new data
         * arrives; 0 turns consolidation off.
         */
        @WithDefault("12")
        int patience();

        /** Learning-rate factor applied per consolidation round since new data arrived (1.0: constant rate). */
        @WithName("consolidation-lr-decay")
        @WithDefault("0.95")
        double consolidationLrDecay();

        /** Floor of that factor. */
        @WithName("consolidation-min-lr-factor")
        @WithDefault("0.1")
        double consolidationMinLrFactor();

        /**
         * Keep a running mean of the weights at the ends of consolidation rounds (stochastic weight averaging) and
         * use it whenever it agrees at least as well on the held-out slice as the current weights. Off: on the demo
         * set it smoothed the round-to-round swings but did not raise the best agreement (trainer-service/README.md).
         */
        @WithName("consolidation-average-weights")
        @WithDefault("false")
        boolean consolidationAverageWeights();

        /**
         * Half-life, in optimizer steps, of the moving average of the weights (Polyak averaging) that is evaluated,
         * gated, calibrated and published while training goes on from the raw weights. 0 evaluates and publishes the
         * raw weights. Measured in trainer-service/README.md ("Stop 17"). Excludes consolidation-average-weights.
         */
        @WithName("ema-half-life-steps")
        @WithDefault("18")
        double emaHalfLifeSteps();

        /**
         * Share of a training text's tokens left out at each step (word dropout, {@code TokenDropout}), so the student
         * answers from every kind of evidence instead of the few words that settle its training texts; measured in
         * common/MODEL.md. 0 turns it off.
         */
        @WithName("token-dropout")
        @WithDefault("0.2")
        double tokenDropout();

        /** K: optimizer steps per round. */
        @WithName("steps-per-round")
        @WithDefault("8")
        int stepsPerRound();

        /**
         * While the trainer is behind the stream (a whole round of examples already waits when one is due), only every
         * Nth round of new examples is evaluated on the held-out slice and gated; the others train and go on. The
         * evaluation of a large held-out slice can cost as much as the round's steps, and a checkpoint gated one round
         * later than it could have been is superseded a few seconds later anyway. Until the first checkpoint, and
         * whenever the trainer keeps up, every round is evaluated. 1: every round.
         */
        @WithName("backlog-evaluation-interval")
        @WithDefault("4")
        int backlogEvaluationInterval();

        /** Examples per optimizer step (the mini-batch; new examples and replayed ones mixed). */
        @WithName("step-batch-size")
        @WithDefault("32")
        int stepBatchSize();

        /** Share of each step's mini-batch drawn from the replay buffer once it holds examples. */
        @WithName("replay-fraction")
        @WithDefault("0.5")
        double replayFraction();

        /** Earlier training examples kept (uniform reservoir sample) for replay. */
        @WithName("replay-size")
        @WithDefault("4096")
        int replaySize();

        @WithName("learning-rate")
        @WithDefault("0.003")
        double learningRate();

        /** Share of examples (by a hash of their id) held out for evaluation, never trained on. */
        @WithName("held-out-percent")
        @WithDefault("10")
        double heldOutPercent();

        /** Held-out examples kept for evaluation (the first ones by topic order); bounds evaluation cost and memory. */
        @WithName("held-out-max")
        @WithDefault("2000")
        int heldOutMax();

        /** Records the consumer may hand to the training thread before it stops fetching. */
        @WithName("queue-capacity")
        @WithDefault("2048")
        int queueCapacity();

        /** How long POST /v1/trainer/checkpoint waits for the training thread. */
        @WithName("force-timeout")
        @WithDefault("120s")
        Duration forceTimeout();

        /** Kafka consumer group the covered offsets are committed for (monitoring; the checkpoint is the truth). */
        @WithName("group-id")
        @WithDefault("distillery-trainer")
        String groupId();

        /** Reject examples whose teacher prompt sha256 differs from this task's prompt. */
        @WithName("require-prompt-match")
        @WithDefault("true")
        boolean requirePromptMatch();

        @WithDefault("42")
        long seed();

        @WithName("keep-checkpoints")
        @WithDefault("5")
        int keepCheckpoints();

        GateConfig gate();

        AugmentConfig augment();

        LoraSettings lora();

        CascadeConfig cascade();
    }

    /** Calibration of the student's confidence for the cascade (see {@code dev.distillery.cascade.CascadeCalibration}). */
    interface CascadeConfig {
        /**
         * Agreement with the teacher that the answers {@code agreement-of} names must reach, as a one-sided 95% lower
         * bound.
         */
        @WithName("target-agreement")
        @WithDefault("0.99")
        double targetAgreement();

        /**
         * Whose agreement {@code target-agreement} bounds: {@code answered}, the answers the student keeps, or
         * {@code served}, every answer a caller gets (the teacher's for the rest). See
         * {@code dev.distillery.cascade.AgreementOf}.
         */
        @WithName("agreement-of")
        @WithDefault("served")
        String agreementOf();

        /**
         * How much more often a replayed example that came from a deferral is drawn than an ordinary one (1: no
         * priority). Deferrals are the queries the served student was unsure of: the most informative examples.
         */
        @WithName("deferral-weight")
        @WithDefault("4")
        double deferralWeight();
    }

    interface GateConfig {
        /** A candidate is published when its held-out agreement >= the last published one's + this delta. */
        @WithName("min-agreement-delta")
        @WithDefault("0.0")
        double minAgreementDelta();

        /** Publish after every round, whatever the agreement. */
        @WithName("always-publish")
        @WithDefault("false")
        boolean alwaysPublish();

        /** Held-out examples a length bucket or teacher label needs before a drop in it refuses a candidate. */
        @WithName("min-bucket-examples")
        @WithDefault("20")
        int minBucketExamples();

        /** Drop in a length bucket's or label's agreement (vs the last published checkpoint) tolerated as noise. */
        @WithName("bucket-tolerance")
        @WithDefault("0.02")
        double bucketTolerance();

        /**
         * Change in the cascade's calibrated coverage (vs the last published checkpoint, same slice) that counts: a
         * candidate losing more is refused, one gaining at least this is published within {@code agreement-tolerance}.
         */
        @WithName("coverage-tolerance")
        @WithDefault("0.01")
        double coverageTolerance();

        /** Held-out agreement a candidate may lose to the last published checkpoint when it gains coverage. */
        @WithName("agreement-tolerance")
        @WithDefault("0.002")
        double agreementTolerance();
    }

    interface AugmentConfig {
        /** Share of every training batch replaced by longer texts joined from examples of the same label (0: off). */
        @WithDefault("0.3")
        double share();

        /**
         * Fragments (12-30 characters of an example, same label) per lengthened text (0: none): users send greetings
         * and three-word questions, which a stream of full sentences has few of.
         */
        @WithName("fragment-share")
        @WithDefault("0.5")
        double fragmentShare();

        /** Shortest joined text, in characters. */
        @WithName("min-chars")
        @WithDefault("60")
        int minChars();

        /** Longest joined text, in characters. */
        @WithName("max-chars")
        @WithDefault("300")
        int maxChars();
    }

    interface LoraSettings {
        @WithDefault("16")
        int rank();

        @WithDefault("32")
        double alpha();

        @WithDefault("0.0")
        double dropout();

        @WithName("target-modules")
        @WithDefault("query,key,value,attention.output.dense,intermediate.dense,output.dense")
        List<String> targetModules();

        /**
         * Also train a private copy of the word embeddings (PEFT's modules_to_save): {@code true}, {@code false}, or
         * {@code auto} (only for a small table, as {@code tiny}'s: {@code LoraConfig.trainEmbeddingsByDefault}).
         */
        @WithName("train-embeddings")
        @WithDefault("auto")
        String trainEmbeddings();

        /** Give the head a token-evidence table (a score per token and label, summed over the text; common/MODEL.md). */
        @WithName("token-evidence")
        @WithDefault("true")
        boolean tokenEvidence();
    }
}
