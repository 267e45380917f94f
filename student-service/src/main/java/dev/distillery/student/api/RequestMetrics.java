package dev.distillery.student.api;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Requests by endpoint and status, and a latency histogram by endpoint, errors included. */
public class RequestMetrics {

    private static final String STARTED = RequestMetrics.class.getName() + ".started";
    private static final Set<String> ENDPOINTS = Set.of("/v1/classify", "/v1/classify/batch", "/v1/chat/completions",
            "/v1/model", "/v1/model/rollback", "/v1/models");

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @ServerRequestFilter(preMatching = true)
    public void start(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @ServerResponseFilter
    public void finish(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        String path = request.getUriInfo().getPath();
        String endpoint = ENDPOINTS.contains(path) ? path : "other";
        String status = Integer.toString(response.getStatus());
        Counter.builder("distillery.student.requests").description("HTTP requests by endpoint and status")
                .tag("endpoint", endpoint).tag("status", status).register(registry).increment();
        if (started instanceof Long nanos) {
            Timer.builder("distillery.student.request.latency").description("Request latency, errors included")
                    .tag("endpoint", endpoint).publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - nanos, TimeUnit.NANOSECONDS);
        }
    }
}
