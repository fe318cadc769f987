package io.edgesync.dispatcher.ui;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

/**
 * The web console under {@code /ui/}: plain HTML, JavaScript and CSS served from the jar (no CDN, no
 * build step). Its pages read the management API with the operator's token; serving them needs none.
 */
public final class WebConsole {
    public static final String PATH = "/ui";
    static final String RESOURCES = "/io/edgesync/dispatcher/ui";

    private WebConsole() {
    }

    /** Hosts the console's files; call while the server is being configured. */
    public static void configure(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = PATH;
            files.directory = RESOURCES;
            files.location = Location.CLASSPATH;
        });
    }

    /** {@code /ui} and {@code /ui/} go to the fleet page. */
    public static void install(Javalin app) {
        app.get(PATH, ctx -> ctx.redirect(PATH + "/index.html"));
        app.get(PATH + "/", ctx -> ctx.redirect(PATH + "/index.html"));
    }
}
