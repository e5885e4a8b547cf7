package io.portside.server.proxy.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.ProxyInfo.Tlv;

/**
 * The {@code PP2_TYPE_SSL} TLV: {@code client} (1 byte), {@code verify} (4 bytes), then sub-TLVs.
 *
 * @param clientFlags the {@code client} bit field
 * @param verifyResult the {@code verify} field, unsigned
 * @param subTlvs the sub-TLVs as sent
 */
record SslTlv(int clientFlags, long verifyResult, List<Tlv> subTlvs) implements ProxyInfo.Ssl {

    static final int VERSION = 0x21;
    static final int CN = 0x22;
    static final int CIPHER = 0x23;
    static final int SIG_ALG = 0x24;
    static final int KEY_ALG = 0x25;

    SslTlv {
        subTlvs = List.copyOf(subTlvs);
    }

    @Override
    public Optional<String> version() {
        return text(VERSION);
    }

    @Override
    public Optional<String> commonName() {
        return text(CN);
    }

    @Override
    public Optional<String> cipher() {
        return text(CIPHER);
    }

    @Override
    public Optional<String> signatureAlgorithm() {
        return text(SIG_ALG);
    }

    @Override
    public Optional<String> keyAlgorithm() {
        return text(KEY_ALG);
    }

    /** US-ASCII for all but the CN, which is UTF-8; UTF-8 reads both. */
    private Optional<String> text(int type) {
        return subTlvs.stream().filter(t -> t.type() == type).findFirst()
                .map(t -> new String(t.value(), StandardCharsets.UTF_8));
    }
}
