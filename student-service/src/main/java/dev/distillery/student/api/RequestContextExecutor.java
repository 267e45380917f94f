package dev.distillery.student.api;

import java.util.concurrent.Executor;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs a request's continuation on the Vert.x context that received it, so that building and writing the response
 * never happens on the batcher thread, which should only run forward passes.
 */
final class RequestContextExecutor {

    private RequestContextExecutor() {
    }

    /** Call on the request's thread. */
    static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
