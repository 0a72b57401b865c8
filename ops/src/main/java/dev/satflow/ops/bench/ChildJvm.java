package dev.satflow.ops.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a satflow CLI process on this JVM and class path, as the benchmarks start stages. */
final class ChildJvm {
    private ChildJvm() {}

    static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.satflow.schema",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "dev.satflow.ops.Satflow"));
        cmd.addAll(args);
        return cmd;
    }
}
