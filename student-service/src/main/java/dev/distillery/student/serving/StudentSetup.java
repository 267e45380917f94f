package dev.distillery.student.serving;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import org.jboss.logging.Logger;

import dev.distillery.model.BaseModel;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.task.TaskSpec;

/**
 * What every served model shares: the task, the frozen base and the device setting. Created eagerly: a base that
 * cannot be loaded fails the start instead of the first checkpoint.
 */
@Startup
@ApplicationScoped
public class StudentSetup {

    private static final Logger LOG = Logger.getLogger(StudentSetup.class);

    private final TaskSpec task;
    private final BaseModel base;
    private final String device;
    private final int promptTokens;

    public StudentSetup(StudentConfig config) {
        this.task = TaskSpec.loadOrDefault(config.task().path());
        try {
            this.base = BaseModel.resolve(config.model().base());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the base model " + config.model().base(), e);
        }
        this.device = config.model().device();
        this.promptTokens = base.countTokens(task.prompt());
        LOG.infof("task %s (%d labels), base %s sha256 %s, prompt P = %d tokens", task.name(), task.labels().size(),
                base.id(), base.sha256(), promptTokens);
    }

    public TaskSpec task() {
        return task;
    }

    public BaseModel base() {
        return base;
    }

    public String device() {
        return device;
    }

    /** Tokens of the task prompt P under the base's tokenizer: what every query no longer has to carry. */
    public int promptTokens() {
        return promptTokens;
    }
}
