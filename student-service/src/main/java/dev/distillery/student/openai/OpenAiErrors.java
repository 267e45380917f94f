package dev.distillery.student.openai;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.distillery.http.ApiError;

/**
 * Errors on the OpenAI routes ({@code /v1/chat/completions}, {@code /v1/models}) leave in OpenAI's shape: every
 * {@link ApiError} the service's mappers produce is rewritten there, so the status and code stay those of the native
 * routes. Fields the request validation names travel as {@code param}.
 */
public class OpenAiErrors {

    static boolean isOpenAiRoute(String path) {
        return path.equals("/v1/chat/completions") || path.equals("/v1/models") || path.startsWith("/v1/models/");
    }

    @ServerExceptionMapper
    public Response badField(OpenAiRequestException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(OpenAiError.of(e.status(), e.error(), e.getMessage(), e.param())).build();
    }

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ApiError error && isOpenAiRoute(request.getUriInfo().getPath())) {
            response.setEntity(OpenAiError.of(error.status(), error.error(), error.message(), null), null,
                    MediaType.APPLICATION_JSON_TYPE);
        }
    }
}
