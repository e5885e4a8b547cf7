package io.portside.server.agent.internal;

import java.lang.System.Logger.Level;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.portside.server.runtime.SocketServerRuntime;

/**
 * The HAProxy agent-check endpoint of this host, on when {@code deploy/io.portside.agent.cfg} exists (keys in
 * {@link AgentConfig}). It reads the listeners from the exported {@link SocketServerRuntime}, never host internals.
 *
 * <p>It is also the host's drain-before-stop hook: registered as a {@link Runnable} with {@code portside.stop=drain},
 * a type the launcher shares with every bundle, the launcher runs it before it stops the framework. It then reports
 * {@code drain} for {@code stop.drain} while the listeners still serve, so load balancers move new connections
 * elsewhere before any socket closes. Without the configuration there is no such service and a stop is not delayed.
 */
@Component(name = AgentConfig.PID, configurationPid = AgentConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = Runnable.class, property = HealthAgent.STOP_HOOK_PROPERTY + "=drain")
public final class HealthAgent implements Runnable {

    /** The service property the launcher looks for: {@code (portside.stop=drain)}. */
    static final String STOP_HOOK_PROPERTY = "portside.stop";
    private static final System.Logger LOG = System.getLogger("io.portside.agent");

    private final SocketServerRuntime runtime;
    private final AgentConfig config;
    private final AgentServer server;
    private volatile boolean stopping;

    @Activate
    public HealthAgent(@Reference SocketServerRuntime runtime, Map<String, Object> properties) {
        this.runtime = runtime;
        try {
            this.config = AgentConfig.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "Health agent not started: io.portside.agent.cfg is invalid: {0}", e.getMessage());
            throw e;
        }
        this.server = new AgentServer(config.endpoint(), this::reply);
        server.start();
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    /** The reply line for a probe now. */
    String reply() {
        return AgentVerdict.judge(runtime.listeners(), config.required(), stopping).line();
    }

    /**
     * The host is about to stop: from now on report {@code drain}, and return after {@code stop.drain} (sooner if
     * interrupted), the listeners serving meanwhile.
     */
    @Override
    public void run() {
        stopping = true;
        LOG.log(Level.INFO, "Host stopping: health agent reports drain for {0} ms before the listeners close",
                String.valueOf(config.stopDrain().toMillis()));
        try {
            Thread.sleep(config.stopDrain().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
