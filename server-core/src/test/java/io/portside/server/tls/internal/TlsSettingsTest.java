package io.portside.server.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    private static final Path HOME = Path.of("/srv/portside");

    private static TlsSettings of(List<String> certs, List<String> keys, String auth, String ca, List<String> protocols) {
        return TlsSettings.of(certs, keys, auth, ca, protocols, List.of(), List.of(), HOME);
    }

    @Test
    void resolvesRelativePathsAgainstTheHomeAndDefaultsTheProtocols() {
        TlsSettings s = of(List.of("tls/a.pem", "/etc/b.pem"), List.of("tls/a.key", "/etc/b.key"), "", null, List.of());
        assertTrue(s.enabled());
        assertEquals(List.of(HOME.resolve("tls/a.pem"), Path.of("/etc/b.pem")), s.certificates());
        assertEquals(List.of(HOME.resolve("tls/a.key"), Path.of("/etc/b.key")), s.keys());
        assertEquals(ClientAuth.NONE, s.clientAuth());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.protocols());
        assertEquals(4, s.files().size(), "no CA watched without client auth");
    }

    @Test
    void nothingSetIsOff() {
        TlsSettings s = of(List.of(), List.of(), null, null, List.of());
        assertFalse(s.enabled());
        assertEquals(TlsSettings.OFF, s);
    }

    @Test
    void clientAuthNeedsACa() {
        TlsSettings s = of(List.of("a.pem"), List.of("a.key"), "Required", "ca.pem", List.of("TLSv1.3"));
        assertEquals(ClientAuth.REQUIRED, s.clientAuth());
        assertEquals(Optional.of(HOME.resolve("ca.pem")), s.clientCa());
        assertTrue(s.files().contains(HOME.resolve("ca.pem")));
        String message = assertThrows(IllegalArgumentException.class,
                () -> of(List.of("a.pem"), List.of("a.key"), "optional", "", List.of())).getMessage();
        assertTrue(message.startsWith("'tls.client.ca' is required"), message);
    }

    @Test
    void badValuesNameTheirKey() {
        assertMessage("'tls.key' must list one key per certificate", () -> of(List.of("a.pem", "b.pem"), List.of("a.key"), null, null, List.of()));
        assertMessage("'tls.key' must list one key per certificate", () -> of(List.of(), List.of("a.key"), null, null, List.of()));
        assertMessage("'tls.client.auth' must be none, optional or required: 'sometimes'",
                () -> of(List.of("a.pem"), List.of("a.key"), "sometimes", null, List.of()));
        assertMessage("'tls.protocols' names a protocol this host does not serve", () -> of(List.of("a.pem"), List.of("a.key"), null, null, List.of("TLSv1.3", "SSLv3")));
        assertMessage("'tls.client.auth' needs 'tls.certificate'", () -> of(List.of(), List.of(), "required", "ca.pem", List.of()));
        assertMessage("'tls.alpn' needs 'tls.certificate'",
                () -> TlsSettings.of(List.of(), List.of(), null, null, List.of(), List.of(), List.of("h2"), HOME));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(message.startsWith(start), message);
    }
}
