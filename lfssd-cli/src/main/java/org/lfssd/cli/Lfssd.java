package org.lfssd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code lfssd} command: forgetting with LFSSD/SSD on real checkpoints, from the command line. Run
 * {@code lfssd --help} and {@code lfssd <command> --help}.
 */
@Command(name = "lfssd", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "Loss-free machine unlearning (LFSSD/SSD): compute importances, forget, evaluate, experiment, audit.",
        subcommands = {InfoCommand.class, TrainCommand.class, ImportanceCommand.class, ForgetCommand.class,
                EvaluateCommand.class, ExperimentCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class Lfssd implements Runnable {
    @Spec
    CommandSpec spec;

    /** Only subcommands do something. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + spec.subcommands().keySet());
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // The library logs its INFO lines (kernel choice, dampening totals) through java.util.logging; the tool
        // prints its own account, so only warnings pass unless LFSSD_LOG_LEVEL says otherwise.
        String level = System.getenv().getOrDefault("LFSSD_LOG_LEVEL", "WARNING");
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.parse(level));
        for (var h : root.getHandlers()) {
            h.setLevel(Level.parse(level));
        }
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command line in this JVM (tests use this) and returns the exit status.
     *
     * @param out  standard output
     * @param err  standard error
     * @param args the command line
     * @return the exit status (see {@link ExitCodes})
     */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Lfssd());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(Lfssd::handle);
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        addExitCodes(cl, codes);
        return cl;
    }

    private static void addExitCodes(CommandLine cl, Map<String, String> codes) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodes(sub, codes);
        }
    }

    /** Maps failures to exit codes; the message names the problem, a stack trace only for bugs. */
    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String where = cl.getCommandSpec().qualifiedName();
        if (ex instanceof NothingSelectedException) {
            err.println(where + ": " + ex.getMessage());
            return ExitCodes.NOTHING_SELECTED;
        }
        if (ex instanceof AuditMismatchException) {
            err.println(where + ": " + ex.getMessage());
            return ExitCodes.AUDIT_MISMATCH;
        }
        if (ex instanceof InputRejectedException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof IllegalArgumentException) {
            err.println(where + ": error: " + message(ex));
            return ExitCodes.INPUT_REJECTED;
        }
        err.println(where + ": internal error: " + ex);
        ex.printStackTrace(err);
        return ExitCodes.INTERNAL;
    }

    private static String message(Exception ex) {
        if (ex instanceof java.nio.file.NoSuchFileException e) {
            return e.getFile() + ": no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        String m = ex.getMessage();
        return m == null ? ex.toString() : m;
    }
}
