package dev.satflow.ops;

import dev.satflow.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The satflow CLI. Exit codes: 0 ok, 1 failure, 2 usage error. */
@Command(name = "satflow", mixinStandardHelpOptions = true, version = "satflow 0.1.0",
        description = "Streaming SAT-style spatial QA data: generate -> render -> qa -> train -> evaluate, on Kafka.",
        subcommands = {
            UpCommand.class,
            GenerateCommand.class,
            RenderCommand.class,
            QaCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            DemoCommand.class,
            dev.satflow.ops.tap.TapCommand.class,
            dev.satflow.ops.console.ConsoleCommand.class,
            dev.satflow.ops.dataset.DatasetCommand.class,
            ReplayCommand.class,
            dev.satflow.ops.export.ExportCommand.class,
            dev.satflow.ops.bench.BenchCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Satflow implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Satflow());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            int code = exitCode(ex);
            if (code == 2) {
                cmd.getErr().println("satflow: " + ex.getMessage());
            } else {
                cmd.getErr().println("satflow " + cmd.getCommandName() + " failed: " + ex);
                ex.printStackTrace(cmd.getErr());
            }
            return code;
        });
        return cl;
    }

    /**
     * 2 for a usage error only: a bad option or setting ({@link ConfigException}). Anything else, bad data met
     * while running included (an IllegalArgumentException from a decoder, say), is a failure: 1.
     */
    static int exitCode(Exception ex) {
        return ex instanceof ConfigException ? 2 : 1;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
