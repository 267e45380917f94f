package dev.distillery.demo.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs: the same JDK the launcher runs on (the script picked one >= 21). */
public final class JavaCommand {

    private JavaCommand() {
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static boolean supportsNativeAccessFlag() {
        return Runtime.version().feature() >= 22;
    }

    static List<String> of(List<String> jvmArgs, List<String> rest) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.addAll(rest);
        return command;
    }
}
