package io.portside.launcher;

import java.util.List;

/**
 * The log lines the JSON log knows by name: each host and launcher template, its event, and where its client, revision
 * and reason are ({@code "{1}"}: that parameter; {@code "{1} {2}"}: two joined; a word: fixed; {@code null}: none).
 * Event names are stable: monitoring matches on them, so a template's wording may change but its event may not.
 * Where one template is a longer form of another, the longer comes first (formatted lines are matched in this order).
 * {@code LogEventTableTest} checks that every template here is still logged somewhere.
 */
final class LogEventTable {

    /** One known template. */
    record Known(String template, String event, String client, String revision, String reason) {
    }

    private LogEventTable() {
    }

    static final List<Known> KNOWN = List.of(
            // Listeners: binding, swaps, gaps, failures (the host's change log formats these itself).
            new Known("Listener {0} bound {1}: handler {2}, concurrency {3}{4}{5}", "listener.bound", null, "{2}", null),
            new Known("Listener {0} unbound {1}: no handler", "listener.unbound", null, null, "no-handler"),
            new Known("Listener {0} unbound {1}: listener {2} claims it, and its configuration is invalid", "listener.unbound", null, null,
                    "claimed"),
            new Known("Listener {0} unbound {1}: its configuration was removed", "listener.unbound", null, null, "config-removed"),
            new Known("Listener {0} unbound {1}: host stopping", "listener.unbound", null, null, "host-stopping"),
            new Known("Listener {0} on {1}: swapped handler {2} -> {3}; {4} open drain on the old one", "listener.swapped", null, "{3}",
                    null),
            new Known("Listener {0} on {1}: rebinding for its new settings", "listener.rebinding", null, null, null),
            new Known("Listener {0} on {1}: policies {2} gone; new requests wait up to {3} ms for their replacement",
                    "listener.policy.gap", null, null, "{2}"),
            new Known("Listener {0} on {1}: handler {2} gone; holding the socket up to {3} ms for a replacement",
                    "listener.handler.gap", null, "{2}", null),
            new Known("Listener {0} on {1}: handler {2} active again", "listener.handler.active", null, "{2}", null),
            new Known("Listener {0} on {1} is waiting: {2}", "listener.waiting", null, null, "{2}"),
            new Known("Listener {0} on {1} failed: {2}", "listener.failed", null, null, "{2}"),
            new Known("Listener {0}: concurrency {1} -> {2}", "listener.concurrency.changed", null, null, null),
            new Known("Listener {0}: closing it failed: {1}", "listener.close.failed", null, null, "{1}"),
            new Known("Listener {0}: closed {1} still on {2} at the drain deadline ({3} ms)", "drain.deadline", null, "{2}", null),
            new Known("Listener {0}: closed {1} at its close", "listener.closed.connections", null, null, null),
            new Known("Listener {0}: serve loop ended by {1}; serving on", "listener.loop.failed", null, null, "{1}"),
            // Connections refused or closed by the host.
            new Known("Listener {0}: rejected {1}: at its limit of {2} connections (max.connections)", "connection.rejected", "{1}", null,
                    "max.connections"),
            new Known("Listener {0}: rejected {1}: the host''s descriptor budget is spent ({2} connections for all listeners,"
                    + " up to {3} of them held for each of the others; {4})", "connection.rejected", "{1}", null, "descriptor.budget"),
            new Known("Listener {0}: rejected {1}: not a trusted proxy (proxy.trusted); this listener takes connections only"
                    + " through one", "connection.rejected", "{1}", null, "proxy.untrusted"),
            new Known("Listener {0}: rejected {1}: interrupted while its policies were being replaced", "connection.rejected", "{1}", null,
                    "policy.interrupted"),
            new Known("Listener {0}: rejected {1}: {2}", "connection.rejected", "{1}", null, "{2}"),
            new Known("Listener {0}: refused {1}: {2}", "connection.refused", "{1}", null, "{2}"),
            new Known("Listener {0}: closed a connection from {1}: no handler became active within {2} ms", "connection.gap.timeout",
                    "{1}", null, "gap"),
            new Known("Listener {0}: closed a connection from {1}: it failed before its handler ran: {2}", "connection.failed", "{1}",
                    null, "{2}"),
            new Known("Listener {0}: closed the connection from {1}: TLS handshake failed: {2}{3}", "tls.handshake.failed", "{1}", null,
                    "{2}"),
            new Known("Listener {0}: closed the connection from {1}: bad PROXY protocol header: {2}{3}", "proxy.header.bad", "{1}", null,
                    "{2}"),
            new Known("Listener {0}: closed the connection from {1} at its request.deadline of {2}: handler {3}"
                    + " ran {4} without waiting on its client; interrupted its thread{5}", "request.deadline", "{1}", "{3}",
                    "request.deadline"),
            new Known("Listener {0}: the datagram from {1} passed its request.deadline of {2}: handler {3}"
                    + " ran {4}; interrupted its thread{5}", "request.deadline", "{1}", "{3}", "request.deadline"),
            new Known("Listener {0}: closed the connection from {1} {2}{3}", "connection.timeout", "{1}", null, "{2}"),
            new Known("Listener {0}: connection from {1} on {2} closed by the host: {3}", "connection.closed", "{1}", "{2}", "{3}"),
            new Known("Listener {0}: client {1} reset the connection while handler {2} served it", "connection.reset", "{1}", "{2}",
                    null),
            // Handlers.
            new Known("Listener {0}: handler {1} failed on a request from {2}: {3}", "handler.failed", "{2}", "{1}", "{3}"),
            new Known("Listener {0}: handler {1} has run for {2} on the request from {3} without waiting on its client"
                    + " (request.warn is {4}){7}; thread {5}:{6}", "request.slow", "{3}", "{1}", "request.warn"),
            new Known("Listener {0}: handler {1} cannot run in worker processes: {2}", "forking.handler.failed", null, "{1}", "{2}"),
            new Known("Listener {0}: a policy failed to release a request: {1}", "policy.release.failed", null, null, "{1}"),
            // TLS certificates.
            new Known("Listener {0}: kept its TLS certificates: the new configuration''s cannot be used: {1}", "tls.config.refused", null,
                    null, "{1}"),
            new Known("Listener {0}: kept the TLS certificates loaded {1}; the changed files cannot be served: {2}", "tls.reload.failed",
                    null, null, "{2}"),
            new Known("Listener {0}: reloaded TLS certificates: {1}", "tls.reloaded", null, null, null),
            new Known("Listener {0}: TLS certificate {1} ({2}) {3}, at {4}; replace the file (copy, then rename)"
                    + " and the listener reloads it", "tls.certificate.expiry", null, null, "{3}"),
            new Known("Listener {0}: checking the TLS files failed: {1}", "tls.check.failed", null, null, "{1}"),
            // A listener's configuration problem: the most general "Listener" line, so last of them.
            new Known("Listener {0}: {1}", "listener.config.invalid", null, null, "{1}"),
            // Deploying bundles and configurations.
            new Known("Deployed {0}: {1} {2}", "deploy.installed", null, "{1} {2}", null),
            new Known("Updated {0}: {1} -> {2} {3}", "deploy.updated", null, "{2} {3}", null),
            new Known("Undeployed {0}: {1}", "deploy.removed", null, "{1}", null),
            new Known("Restored {0}: {1} {2} serves again", "deploy.restored", null, "{1} {2}", null),
            new Known("Not deploying {0}: {1}", "deploy.refused", null, null, "{1}"),
            new Known("Not updating {0}: {1}; {2} {3} keeps serving", "deploy.update.refused", null, "{2} {3}", "{1}"),
            new Known("Cannot deploy {0} ({1} {2}): {3}", "deploy.failed", null, "{1} {2}", "{3}"),
            new Known("Update of {0} to {1} {2} failed ({3}); restoring {4}", "deploy.update.failed", null, "{1} {2}", "{3}"),
            new Known("Cannot undeploy {0}: {1}", "deploy.remove.failed", null, null, "{1}"),
            new Known("Cannot restore {0}: {1}", "deploy.restore.failed", null, null, "{1}"),
            new Known("Cannot apply {0}: {1}", "config.apply.failed", null, null, "{1}"),
            // Policies (the samples' shared support) and the host's limits.
            new Known("Policy {0} active: {1}{2}", "policy.active", null, null, null),
            new Known("Policy {0} rejects every request until its configuration is fixed: {1}", "policy.config.invalid", null, null,
                    "{1}"),
            new Known("Descriptor budget: {0} connections for all listeners (descriptor limit {1}, {2} reserved for the host''s own"
                    + " files)", "host.descriptor.budget", null, null, null),
            new Known("Health agent listening on tcp://{0}:{1}", "agent.listening", null, null, null),
            // The launcher.
            new Known("Portside host started: home {0}, deploy folder {1}", "host.started", null, null, null),
            new Known("Refusing to start: {0}", "host.refused", null, null, "{0}"),
            new Known("Portside host stopping", "host.stopping", null, null, null),
            new Known(ConsoleLogging.UNCAUGHT, "thread.ended", null, null, "{1}"),
            new Known(LogConfiguration.APPLIED, "logging.configured", null, null, null),
            new Known(LogConfiguration.REFUSED, "logging.config.refused", null, null, "{1}"));
}
