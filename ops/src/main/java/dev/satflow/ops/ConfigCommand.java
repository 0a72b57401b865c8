package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.config.Setting;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints every setting with its effective value, where it came from, and its env name. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show every setting: effective value, source (default/file/env/flag) and env variable.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        Config config = stack.load(Map.of());
        Map<String, String> effective = config.describe();
        for (Setting s : SatflowSettings.ALL) {
            System.out.printf("%-28s %-40s %s%n    %s%n", s.key(), effective.get(s.key()), s.envName(),
                    s.description());
        }
        return 0;
    }
}
