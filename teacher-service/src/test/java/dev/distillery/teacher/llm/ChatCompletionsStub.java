package dev.distillery.teacher.llm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stub of the OpenAI chat-completions API on 127.0.0.1 (JDK HttpServer), scripted per user message: the
 * responder sees the user text and how many times that text was asked before, and decides the reply.
 */
public final class ChatCompletionsStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stub answers: a status, headers, a body, after an optional delay. */
    public record Reply(int status, Map<String, String> headers, String body, long delayMs) {

        public static Reply answer(String content) {
            return new Reply(200, Map.of(), completion(content, 120, 3), 0);
        }

        public static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, "{\"error\":{\"message\":\"stub says " + status + "\"}}", 0);
        }

        public Reply after(long delayMs) {
            return new Reply(status, headers, body, delayMs);
        }
    }

    /** One request as the stub received it. */
    public record Request(String authorization, JsonNode body) {
        public String system() {
            return body.path("messages").path(0).path("content").asText();
        }

        public String user() {
            return body.path("messages").path(1).path("content").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public ChatCompletionsStub(BiFunction<String, Integer, Reply> responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, responder));
        server.start();
    }

    private void handle(HttpExchange exchange, BiFunction<String, Integer, Reply> responder) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Request request = new Request(exchange.getRequestHeaders().getFirst("Authorization"), body);
            requests.add(request);
            int attempt = attempts.computeIfAbsent(request.user(), k -> new AtomicInteger()).incrementAndGet();
            Reply reply = responder.apply(request.user(), attempt);
            if (reply.delayMs() > 0) {
                try {
                    Thread.sleep(reply.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client gave up (timeout): nothing to answer.
        } finally {
            inFlight.decrementAndGet();
        }
    }

    public static String completion(String content, int promptTokens, int completionTokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-stub").put("object", "chat.completion").put("model", "stub-model");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return root.toString();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Request> requests() {
        return requests;
    }

    public int attempts(String userText) {
        AtomicInteger n = attempts.get(userText);
        return n == null ? 0 : n.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
