package dev.distillery.teacher.config;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.Labeler;
import dev.distillery.teacher.labeling.QueryDecoder;
import dev.distillery.teacher.labeling.Teacher;
import dev.distillery.teacher.llm.OpenAiTeacher;
import dev.distillery.teacher.metrics.TeacherMetrics;
import dev.distillery.teacher.rules.RulesTeacher;
import dev.distillery.text.TextRule;

/** Builds the task, the configured teacher and the labeling parts from configuration, once (singletons: no proxies). */
@ApplicationScoped
public class TeacherSetup {

    private static final Logger LOG = Logger.getLogger(TeacherSetup.class);

    @Produces
    @Singleton
    TaskSpec task(DistilleryConfig config) {
        TaskSpec task = TaskSpec.loadOrDefault(config.task().path());
        LOG.infof("task %s: %d labels, prompt sha256 %s", task.name(), task.labels().size(), task.promptSha256());
        return task;
    }

    @Produces
    @Singleton
    Teacher teacher(DistilleryConfig config, TaskSpec task, TeacherMetrics metrics) {
        String kind = config.teacher().kind().strip().toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case RulesTeacher.KIND -> new RulesTeacher(task);
            case OpenAiTeacher.KIND -> {
                DistilleryConfig.OpenAi o = config.teacher().openai();
                OpenAiTeacher.Settings settings = new OpenAiTeacher.Settings(o.baseUrl(), o.model(), o.apiKey(),
                        o.azureApiVersion(), o.temperature(), o.maxTokens(),
                        OpenAiTeacher.TokenLimitField.parse(o.tokenLimitField()), o.topLogprobs(), o.timeout(),
                        o.maxConcurrency(), o.maxRetries());
                LOG.infof("openai teacher: %s model %s%s, %d in flight at most, %d retries, top_logprobs %d",
                        o.baseUrl(), o.model(), o.azureApiVersion().map(v -> " (Azure api-version " + v + ")").orElse(""),
                        o.maxConcurrency(), o.maxRetries(), o.topLogprobs());
                yield new OpenAiTeacher(settings, task.prompt(), (failure, attempt, wait) -> {
                    metrics.retry();
                    LOG.debugf("teacher attempt %d failed (%s); retrying in %s", attempt, failure, wait);
                });
            }
            default -> throw new IllegalArgumentException(
                    "distillery.teacher.kind must be rules or openai, got: " + config.teacher().kind());
        };
    }

    @Produces
    @Singleton
    Labeler labeler(Teacher teacher, TaskSpec task, TeacherMetrics metrics) {
        return new Labeler(teacher, task, metrics, Clock.systemUTC());
    }

    @Produces
    @Singleton
    TextRule textRule(DistilleryConfig config) {
        return new TextRule(config.teacher().maxTextChars());
    }

    @Produces
    @Singleton
    QueryDecoder decoder(TextRule rule) {
        return new QueryDecoder(rule, () -> UUID.randomUUID().toString());
    }
}
