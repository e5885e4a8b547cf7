package io.portside.server.proxy.internal;

/** Why a PROXY protocol header was refused; {@link #text()} is for the operator's log line. */
public enum ProxyFailure {
    TRUNCATED("the connection ended inside the PROXY protocol header"),
    WRONG_SIGNATURE("no PROXY protocol header (wrong signature)"),
    VERSION_NOT_ALLOWED("a PROXY protocol header of a version this listener does not accept (proxy.protocol)"),
    UNSUPPORTED_VERSION("a version 2 signature with a version other than 2"),
    UNKNOWN_COMMAND("a version 2 command other than LOCAL or PROXY"),
    UNKNOWN_FAMILY("a version 2 address family other than UNSPEC, INET, INET6 or UNIX"),
    UNKNOWN_TRANSPORT("a version 2 transport other than UNSPEC, STREAM or DGRAM"),
    ADDRESS_BLOCK_TOO_LONG("a version 2 address block larger than the header's length"),
    LENGTHS_DO_NOT_ADD_UP("version 2 lengths that do not add up (a partial TLV, or a TLV too short for its type)"),
    TLV_OVERRUN("a version 2 TLV that runs past the end of the header or of its enclosing TLV"),
    BAD_CRC32C("a version 2 header whose CRC32C checksum does not match"),
    SSL_NESTED_TOO_DEEP("version 2 SSL TLVs nested deeper than " + TlvParser.MAX_SSL_DEPTH),
    BAD_UNIX_ADDRESS("a version 2 Unix socket path that is not a path"),
    V1_LINE_TOO_LONG("a version 1 line without CRLF in its first 107 bytes"),
    V1_BAD_CHARACTER("a version 1 line with a control or non-ASCII character, or a CR or LF alone"),
    V1_UNKNOWN_PROTOCOL("a version 1 protocol other than TCP4, TCP6 or UNKNOWN"),
    V1_BAD_FIELDS("a version 1 line without exactly four fields after the protocol, one space apart"),
    V1_LEADING_ZERO("a version 1 number written with a leading zero"),
    V1_PORT_OUT_OF_RANGE("a version 1 port outside 0..65535, or not a decimal number"),
    V1_BAD_ADDRESS("a version 1 address that is not a canonical IPv4 or IPv6 address"),
    V1_WRONG_FAMILY("a version 1 address of the other family than its protocol (TCP4 or TCP6)");

    private final String text;

    ProxyFailure(String text) {
        this.text = text;
    }

    /** What went wrong, in words for the operator. */
    public String text() {
        return text;
    }
}
