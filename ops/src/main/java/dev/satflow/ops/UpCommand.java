package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.embedded.LocalStack;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the local stack in the foreground: a KRaft broker, the schema registry and every topic. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the embedded stack (KRaft broker + schema registry) in the foreground until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--port", description = "Kafka port (default ${DEFAULT-VALUE}).", defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", description = "KRaft controller port (default ${DEFAULT-VALUE}).",
            defaultValue = "9093")
    int controllerPort;

    @Option(names = "--registry-port", description = "Schema registry port (default ${DEFAULT-VALUE}).",
            defaultValue = "8081")
    int registryPort;

    @Override
    public Integer call() throws Exception {
        Config config = stack.load(Map.of());
        LocalStack s = LocalStack.start(new LocalStack.Settings(config.path("data-dir").toAbsolutePath(), port,
                controllerPort, registryPort, config.integer("partitions", 1, 1024)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            stopped.countDown();
        }, "satflow-up-shutdown"));
        System.out.println("satflow stack is up (Ctrl-C to stop)");
        System.out.println("  bootstrap:  " + s.bootstrapServers());
        System.out.println("  registry:   " + s.registryUrl());
        System.out.println("  data:       " + s.dataDir());
        System.out.println("  use it:     export SATFLOW_BOOTSTRAP=" + s.bootstrapServers() + " SATFLOW_REGISTRY="
                + s.registryUrl());
        stopped.await();
        return 0;
    }
}
