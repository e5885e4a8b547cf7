package io.portside.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** nginx's stream module in front of the fleet, sending the PROXY protocol v1 line. */
final class Nginx {

    /** Where Debian's libnginx-mod-stream puts the module. */
    static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private Nginx() {
    }

    /** True if the stream module can be loaded from {@link #STREAM_MODULE}. */
    static boolean hasStreamModule() {
        return Files.isReadable(STREAM_MODULE);
    }

    /** A complete nginx.conf: a TCP proxy over {@code hosts}' v1 listeners, each connection starting with a PROXY line. */
    static String config(int frontPort, Path dir, List<FleetHost> hosts) {
        StringBuilder upstream = new StringBuilder();
        for (FleetHost host : hosts) {
            upstream.append("        server 127.0.0.1:%d;\n".formatted(host.v1Port));
        }
        return """
                load_module %s;
                worker_processes 1;
                pid %s;
                error_log %s info;

                events {
                    worker_connections 1024;
                }

                stream {
                    upstream portside {
                %s    }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_pass portside;
                        proxy_protocol on;
                    }
                }
                """.formatted(STREAM_MODULE, dir.resolve("nginx.pid"), dir.resolve("error.log"), upstream, frontPort);
    }
}
