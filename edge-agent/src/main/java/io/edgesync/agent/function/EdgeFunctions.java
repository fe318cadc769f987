package io.edgesync.agent.function;

import io.edgesync.agent.plan.FunctionActions;
import io.edgesync.agent.store.FunctionStore;
import io.edgesync.agent.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge functions of this device: deploys (download, SHA-256 check, load under the limits, then
 * store in SQLite, in that order, so a module that fails any step is never stored or run), removes, and
 * the loaded functions readings pass through ({@link #active()}), rebuilt from the store at open and
 * after every change. A stored module that no longer loads (the limits were lowered) is logged and
 * skipped, never run.
 */
public final class EdgeFunctions implements FunctionActions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeFunctions.class);

    /** A loaded function in the order it applies. */
    public record Active(String id, String name, String version, FunctionRuntime runtime) {
    }

    private final FunctionStore store;
    private final ModuleDownloader downloader;
    private final FunctionOptions options;
    private volatile List<Active> active = List.of();

    public EdgeFunctions(FunctionStore store, ModuleDownloader downloader, FunctionOptions options) {
        this.store = Objects.requireNonNull(store);
        this.downloader = Objects.requireNonNull(downloader);
        this.options = Objects.requireNonNull(options);
        reload();
    }

    public FunctionOptions options() {
        return options;
    }

    @Override
    public synchronized void deploy(String id, String name, String version, String hash, String url, int order)
            throws Failed {
        install(id, name, version, downloader.download(url, hash), order);
    }

    /**
     * Installs a module already at hand (verified by the caller, or local: a benchmark, a test):
     * loads it under the limits, then stores it; its hash is computed here.
     */
    public synchronized void install(String id, String name, String version, byte[] module, int order)
            throws Failed {
        try {
            FunctionRuntime.load(name, module, options.limits()).close();
        } catch (FunctionException e) {
            throw new Failed("function " + name + " " + version + " refused: " + e.getMessage(), false, e);
        }
        try {
            store.install(new FunctionStore.StoredFunction(id, name, version, ModuleDownloader.sha256(module), order,
                    module));
        } catch (StoreException e) {
            throw new Failed("edge store: " + e.getMessage(), true, e);
        }
        LOG.info("event=function_deployed id={} name={} version={} order={} bytes={}", id, name, version, order,
                module.length);
        reload();
    }

    @Override
    public synchronized void remove(String id) throws Failed {
        try {
            store.remove(id);
        } catch (StoreException e) {
            throw new Failed("edge store: " + e.getMessage(), true, e);
        }
        LOG.info("event=function_removed id={}", id);
        reload();
    }

    @Override
    public List<Installed> installed() {
        return store.all().stream().map(f -> new Installed(f.id(), f.name(), f.version(), f.hash(), f.order())).toList();
    }

    /** The functions readings pass through now, in order. */
    public List<Active> active() {
        return active;
    }

    private void reload() {
        List<Active> loaded = new ArrayList<>();
        for (FunctionStore.StoredFunction f : store.all()) {
            try {
                loaded.add(new Active(f.id(), f.name(), f.version(), FunctionRuntime.load(f.name(), f.module(),
                        options.limits())));
            } catch (FunctionException e) {
                LOG.error("event=function_not_loaded id={} name={} version={} kind={} reason=\"{}\"", f.id(), f.name(),
                        f.version(), e.kind(), e.getMessage());
            }
        }
        List<Active> old = active;
        active = List.copyOf(loaded);
        old.forEach(a -> a.runtime().close());
    }

    @Override
    public synchronized void close() {
        active.forEach(a -> a.runtime().close());
        active = List.of();
    }
}
