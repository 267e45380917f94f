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
 * A stub of the OpenAI chat-completions API on 127.0.0.1 (JDK HttpServer), scripted per request: the responder sees
 * the request (path, headers, body) and how many times its user text was asked before, and decides the reply. It
 * answers on every path, so that Azure-style deployment paths can be checked too.
 */
public final class ChatCompletionsStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stub answers: a status, headers, a body, after an optional delay. */
    public record Reply(int status, Map<String, String> headers, String body, long delayMs) {

        public static Reply answer(String content) {
            return new Reply(200, Map.of(), completion(content, 120, 3), 0);
        }

        /** A completion that stopped for {@code finishReason}, with an optional refusal text. */
        public static Reply finished(String content, String finishReason, String refusal) {
            ObjectNode root = (ObjectNode) parse(completion(content, 120, 3));
            ObjectNode choice = (ObjectNode) root.path("choices").path(0);
            choice.put("finish_reason", finishReason);
            ObjectNode message = (ObjectNode) choice.path("message");
            if (content == null) {
                message.putNull("content");
            }
            if (refusal != null) {
                message.put("refusal", refusal);
            }
            return new Reply(200, Map.of(), root.toString(), 0);
        }

        /**
         * {@code prefix + label} answered token by token ("Final", " Answer", ":", " fr"), with the label token's
         * top_logprobs from {@code alternatives} (token text to probability), as servers return for logprobs=true.
         */
        public static Reply withLogprobs(String prefix, String labelToken, Map<String, Double> alternatives) {
            ObjectNode root = (ObjectNode) parse(completion(prefix + labelToken, 120, 4));
            var content = ((ObjectNode) root.path("choices").path(0)).putObject("logprobs").putArray("content");
            for (String token : prefix.split("(?=[ :])")) {
                ObjectNode t = content.addObject().put("token", token).put("logprob", -0.001);
                t.putArray("top_logprobs").addObject().put("token", token).put("logprob", -0.001);
            }
            ObjectNode label = content.addObject().put("token", labelToken)
                    .put("logprob", Math.log(alternatives.getOrDefault(labelToken, 1.0)));
            var top = label.putArray("top_logprobs");
            alternatives.forEach((token, p) -> top.addObject().put("token", token).put("logprob", Math.log(p)));
            return new Reply(200, Map.of(), root.toString(), 0);
        }

        /** An OpenAI-shaped 400 naming the parameter the server refuses. */
        public static Reply badParameter(String param, String message) {
            ObjectNode root = JSON.createObjectNode();
            root.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param)
                    .put("code", "unsupported_parameter");
            return new Reply(400, Map.of(), root.toString(), 0);
        }

        public static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, "{\"error\":{\"message\":\"stub says " + status + "\"}}", 0);
        }

        public Reply after(long delayMs) {
            return new Reply(status, headers, body, delayMs);
        }
    }

    /** One request as the stub received it; header names are lower case. */
    public record Request(String path, String query, Map<String, String> headers, JsonNode body) {
        public String authorization() {
            return headers.get("authorization");
        }

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

    /** Decides the reply to one request; {@code attempt} counts the requests with the same user text so far. */
    @FunctionalInterface
    public interface Server {
        Reply reply(Request request, int attempt);
    }

    /** A responder that only looks at the user text and the attempt number. */
    public ChatCompletionsStub(BiFunction<String, Integer, Reply> responder) throws IOException {
        this((Server) (request, attempt) -> responder.apply(request.user(), attempt));
    }

    public static ChatCompletionsStub serving(Server server) throws IOException {
        return new ChatCompletionsStub(server);
    }

    private ChatCompletionsStub(Server responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, responder));
        server.start();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange, Server responder) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            Request request = new Request(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                    headers, body);
            requests.add(request);
            int attempt = attempts.computeIfAbsent(request.user(), k -> new AtomicInteger()).incrementAndGet();
            Reply reply = responder.reply(request, attempt);
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
        return root() + "/v1";
    }

    /** The server root, for Azure-style base URLs (the SDK adds /openai/deployments/...). */
    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
