package io.edgesync.embedded;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of a child JVM (the S3 server of local mode, test-support's {@code ChildJvm}): runs the
 * named main class, and exits the JVM (shutdown hooks included) as soon as standard input reaches its
 * end, which happens when the JVM that started it closes the pipe or dies. Arguments: the main class,
 * then its arguments.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws Throwable {
        Thread watchdog = new Thread(ChildMain::exitWhenParentGoes, "child-jvm-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentGoes() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; reading only detects the end of the pipe
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone
        }
        System.exit(0);
    }
}
