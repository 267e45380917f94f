package dev.distillery.student.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.distillery.http.ApiError;
import dev.distillery.messages.MessageCodec;

/**
 * Refuses a declared body over {@code quarkus.http.limits.max-body-size} with the ApiError shape before the HTTP layer
 * does (it would answer a bare 413). A chunked body without Content-Length still gets the HTTP layer's bare 413.
 */
@ApplicationScoped
public class BodyLimitGuard {

    private final long limit;

    public BodyLimitGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String declared = ctx.request().getHeader("Content-Length");
            long length;
            try {
                length = declared == null ? -1 : Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length > limit) {
                ApiError error = new ApiError(413, "body-too-large",
                        "the request body has " + length + " bytes; the limit is " + limit);
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close").end(MessageCodec.encodeToString(error));
                return;
            }
            ctx.next();
        });
    }
}
