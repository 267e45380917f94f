package dev.distillery.demo.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Distillery service run as {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}, on a free port,
 * configured by environment variables only (the same keys a deployment sets).
 */
public final class ServiceProcess implements AutoCloseable {

    /** The three services: module directory, short name, JVM heap. */
    public enum Kind {
        TEACHER("teacher-service", "teacher", "512m"),
        TRAINER("trainer-service", "trainer", "2g"),
        STUDENT("student-service", "student", "1g");

        final String module;
        final String shortName;
        final String heap;

        Kind(String module, String shortName, String heap) {
            this.module = module;
            this.shortName = shortName;
            this.heap = heap;
        }

        Path jar(Path repoRoot) {
            return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    private final Kind kind;
    private final ManagedProcess process;
    private final int port;

    private ServiceProcess(Kind kind, ManagedProcess process, int port) {
        this.kind = kind;
        this.process = process;
        this.port = port;
    }

    /**
     * @param extraEnv environment added on top of the launcher's own (which is inherited, so a user's
     *                 {@code DISTILLERY_TEACHER_KIND=openai} reaches the teacher unchanged)
     */
    static ServiceProcess start(Kind kind, Path repoRoot, String bootstrapServers, Path checkpointsDir, Path logDir,
            Map<String, String> extraEnv) throws IOException {
        return start(kind, repoRoot, bootstrapServers, checkpointsDir, logDir, extraEnv, FreePort.pick());
    }

    /** As above on a given port (a restart keeps its address, so clients find it again). */
    static ServiceProcess start(Kind kind, Path repoRoot, String bootstrapServers, Path checkpointsDir, Path logDir,
            Map<String, String> extraEnv, int port) throws IOException {
        Path jar = kind.jar(repoRoot);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -B package -DskipTests");
        }
        Map<String, String> env = new HashMap<>(environment(bootstrapServers, port, checkpointsDir));
        env.putAll(extraEnv);
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + kind.heap, "-XX:+UseSerialGC", "-Dai.djl.offline=true"));
        if (JavaCommand.supportsNativeAccessFlag()) {
            jvm.add("--enable-native-access=ALL-UNNAMED");
        }
        ManagedProcess process = ManagedProcess.start(kind.shortName,
                JavaCommand.of(jvm, List.of("-jar", jar.toAbsolutePath().toString())), env,
                repoRoot.resolve(kind.module), logDir.resolve(kind.shortName + ".log"));
        return new ServiceProcess(kind, process, port);
    }

    /** The environment every service gets from the launcher. */
    static Map<String, String> environment(String bootstrapServers, int port, Path checkpointsDir) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("DISTILLERY_CHECKPOINTS_DIR", checkpointsDir.toAbsolutePath().toString());
        env.put("DJL_OFFLINE", "true");
        // Two cores shared by three JVMs and a broker: busy-waiting OpenMP threads make every tail latency explode.
        env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    Kind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }
}
