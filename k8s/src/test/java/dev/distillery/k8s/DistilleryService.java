package dev.distillery.k8s;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The three services with what CONVENTIONS.md and API.md fix about them: module, HTTP port, and the configuration
 * keys each one reads. The keys found in the service's own application.properties are added to these at test time.
 */
enum DistilleryService {
    TEACHER("teacher-service", 8081,
            "distillery.teacher.kind",
            "distillery.teacher.openai.base-url",
            "distillery.teacher.openai.model",
            "distillery.teacher.openai.api-key",
            "distillery.teacher.openai.temperature",
            "distillery.teacher.openai.max-tokens",
            "distillery.teacher.openai.timeout",
            "distillery.teacher.openai.max-concurrency",
            "distillery.teacher.openai.max-retries",
            "distillery.teacher.max-text-chars"),
    TRAINER("trainer-service", 8082,
            "distillery.checkpoints.dir",
            "distillery.model.base",
            "distillery.model.device",
            "distillery.trainer.batch-size",
            "distillery.trainer.round-interval",
            "distillery.trainer.steps-per-round",
            "distillery.trainer.replay-size",
            "distillery.trainer.learning-rate",
            "distillery.trainer.held-out-percent",
            "distillery.trainer.gate.min-agreement-delta",
            "distillery.trainer.gate.always-publish",
            "distillery.trainer.keep-checkpoints"),
    STUDENT("student-service", 8080,
            "distillery.checkpoints.dir",
            "distillery.model.base",
            "distillery.model.device",
            "distillery.student.max-batch",
            "distillery.student.max-wait",
            "distillery.student.max-text-chars",
            "distillery.student.serve-untrained-base",
            "distillery.student.top-k");

    /** Keys every service reads (CONVENTIONS.md "Shared keys"). */
    static final Set<String> SHARED_KEYS = Set.of(
            "kafka.bootstrap.servers",
            "distillery.topics.queries",
            "distillery.topics.labeled",
            "distillery.topics.rejected",
            "distillery.topics.checkpoints",
            "distillery.task.path");

    /** Environment variables that are not configuration keys but runtime settings of the JVM or DJL. */
    static final Set<String> RUNTIME_VARIABLES = Set.of(
            "JDK_JAVA_OPTIONS", "HOME", "DJL_OFFLINE", "DJL_CACHE_DIR", "OMP_WAIT_POLICY", "OMP_NUM_THREADS");

    private final String module;
    private final int conventionPort;
    private final Set<String> keys;

    DistilleryService(String module, int conventionPort, String... keys) {
        this.module = module;
        this.conventionPort = conventionPort;
        this.keys = Set.of(keys);
    }

    String module() {
        return module;
    }

    int conventionPort() {
        return conventionPort;
    }

    /** Configuration keys fixed by the project's conventions for this service. */
    Set<String> conventionKeys() {
        return Stream.concat(SHARED_KEYS.stream(), keys.stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** The environment variable Quarkus maps to a property: non-alphanumerics become '_', upper case. */
    static String environmentName(String property) {
        StringBuilder name = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }
}
