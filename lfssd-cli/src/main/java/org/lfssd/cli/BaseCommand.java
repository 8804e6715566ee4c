package org.lfssd.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lfssd.unlearn.ProgressListener;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the common options, the text output (silenced by {@code --json}, which prints
 * the result document instead), progress on stderr, and the exit status.
 */
abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private PrintWriter text;

    @Override
    public final Integer call() throws Exception {
        common.apply();
        Map<String, Object> result = run();
        if (common.json) {
            out().print(Json.write(result));
            out().flush();
        }
        return ExitCodes.OK;
    }

    /** Does the work, prints human-readable text to {@link #text()}, and returns the {@code --json} document. */
    abstract Map<String, Object> run() throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Standard output for people, or nowhere with {@code --json}. */
    PrintWriter text() {
        if (text == null) {
            text = common.json ? new PrintWriter(Writer.nullWriter()) : out();
        }
        return text;
    }

    ProgressListener progress() {
        return ConsoleProgress.forCommand(common, err());
    }
}
