package io.portside.sample.filetransfer;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/**
 * The file-transfer handler on TCP 127.0.0.1:9997, serving {@code <home>/files}. Its configuration,
 * {@code deploy/io.portside.sample.filetransfer.cfg}, may set {@code root} (an absolute path, or one relative to the
 * host's home; {@code ${portside.home}} is substituted in {@code .cfg} files) and {@code portside.endpoint}. A changed
 * configuration re-creates the component; the host swaps it in behind the same socket.
 */
@Component(name = FileTransferService.PID, service = StreamHandlerFactory.class, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HandlerEndpoint(handler = "file-transfer", endpoint = "tcp://127.0.0.1:9997", concurrency = "virtual")
public final class FileTransferService implements StreamHandlerFactory {

    static final String PID = "io.portside.sample.filetransfer";
    /** The configuration key of the served folder. */
    static final String ROOT = "root";

    private static final System.Logger LOG = System.getLogger("io.portside.sample.filetransfer");

    private final FileRoot root;

    @Activate
    public FileTransferService(Map<String, Object> properties) {
        this.root = new FileRoot(rootOf(properties, home()));
        LOG.log(Level.INFO, "file-transfer: serving {0}", root.path());
    }

    /**
     * The host's home. Handler bundles import only the handler API, so they cannot ask the framework; the launcher
     * publishes its home as the system property {@code portside.home} too.
     */
    private static Path home() {
        return Path.of(System.getProperty("portside.home", "."));
    }

    static Path rootOf(Map<String, ?> properties, Path home) {
        Object configured = properties.get(ROOT);
        if (configured == null || configured.toString().isBlank()) {
            return home.resolve("files");
        }
        return home.resolve(configured.toString().trim());
    }

    @Override
    public StreamRequestHandler newHandler() {
        return new FileTransferHandler(root);
    }
}
