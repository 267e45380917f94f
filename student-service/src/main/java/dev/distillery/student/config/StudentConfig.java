package dev.distillery.student.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code distillery.*} key the student reads; each one can be overridden by its env var. */
@ConfigMapping(prefix = "distillery")
public interface StudentConfig {

    Topics topics();

    Task task();

    Checkpoints checkpoints();

    Model model();

    Student student();

    interface Topics {
        @WithDefault("distill.checkpoints")
        String checkpoints();
    }

    interface Task {
        /** Directory with {@code task.json}; absent = the built-in language-id task. */
        Optional<String> path();
    }

    interface Checkpoints {
        /**
         * Root of the checkpoint store. An announcement's uri is used as is when that directory exists here;
         * otherwise it is looked up as {@code <dir>/<task>/<last path segment>}, so the trainer and the student may
         * mount the shared volume at different paths.
         */
        @WithDefault("data/checkpoints")
        String dir();
    }

    interface Model {
        /** {@code tiny} or a Hugging Face BERT-layout directory. */
        @WithDefault("tiny")
        String base();

        /** {@code auto}, {@code cpu} or {@code gpu}. */
        @WithDefault("auto")
        String device();
    }

    interface Student {
        /** Most texts in one forward pass, and most texts in one {@code /v1/classify/batch} request. */
        @WithDefault("32")
        int maxBatch();

        /** How long the batcher waits for more requests once one is queued (0 = only what is already queued). */
        @WithDefault("2ms")
        Duration maxWait();

        /** Longest accepted text, in Unicode code points; longer texts are refused with 413. */
        @WithDefault("4000")
        int maxTextChars();

        /** Serve the untrained base (random label head) until the first checkpoint instead of answering 503. */
        @WithDefault("false")
        boolean serveUntrainedBase();

        /** Labels listed in {@code scores}; 0 leaves {@code scores} out. */
        @WithDefault("3")
        int topK();

        /** Texts waiting for the batcher beyond which requests are refused with 503 (back-pressure). */
        @WithDefault("4096")
        int maxQueue();

        /**
         * Threads of libtorch's intra-op pool (process-wide); 0 = libtorch's default, one per core. One thread leaves
         * the other cores to the HTTP side and its passes never wait on a descheduled pool thread.
         */
        @WithDefault("1")
        int inferenceThreads();

        /** Seed of the label head when the untrained base is served. */
        @WithDefault("17")
        long seed();

        /**
         * On /v1/chat/completions, refuse (404 model-not-found) a {@code model} that is not one of the student's
         * names. Off: any name is accepted (a teacher client keeps its model name when it switches base URL) and the
         * answer's {@code model} says which checkpoint answered.
         */
        @WithDefault("false")
        boolean strictModel();

        /**
         * Base URL of teacher-service (e.g. {@code http://teacher:8081}); when set, unsure answers can be deferred to
         * it (the cascade).
         */
        Optional<String> teacherUrl();

        /**
         * Default policy of classify requests that name none: {@code student} or
         * {@code cascade}; absent = {@code cascade} when a teacher URL is configured, else {@code student}.
         */
        Optional<String> policy();

        Cascade cascade();
    }

    interface Cascade {
        /**
         * Confidence score compared with the checkpoint's calibrated threshold: {@code margin}, {@code probability} or
         * {@code log-odds}.
         */
        @WithDefault(dev.distillery.cascade.ConfidenceScore.DEFAULT_KEY)
        String score();

        /** Longest wait for the teacher's answer to a deferred query (connection included). */
        @WithDefault("5s")
        Duration teacherTimeout();

        /**
         * Teacher calls in flight at most; a deferral beyond it waits for a free call within {@link #teacherTimeout()}
         * (at most 8 per call slot wait; beyond, or past the timeout, the teacher counts as {@code busy}).
         */
        @WithDefault("32")
        int maxConcurrency();

        /**
         * When the teacher times out, is unreachable, busy or refuses: {@code student} answers with the student's own
         * label flagged {@code "deferred": "teacher-unavailable"} (503 when no checkpoint is served), {@code error}
         * answers 503 {@code teacher-unavailable}.
         */
        @WithDefault("student")
        String onTeacherFailure();

        /** Share of confident student answers also sent to the teacher in the background to measure live agreement. */
        @WithDefault("0.01")
        double auditRate();
    }
}
