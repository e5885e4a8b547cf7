"""A TLS client for Portside's tests, on Python's ssl module: one exchange, or fresh connections in a loop.

    tls_client.py exchange --port P | --unix PATH  --ca CA.pem [--sni NAME] [--cert C --key K] [--line TEXT]
    tls_client.py load --port P --ca CA.pem --seconds S [--sni NAME]

Prints one JSON object on stdout. A failed connection is reported in it ("error"), never as a traceback.
"""
import argparse, hashlib, json, socket, ssl, sys, time


def context(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(args.ca)
    ctx.check_hostname = False  # the tests check which certificate came, by its names, themselves
    if args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    if args.max_version:
        ctx.maximum_version = getattr(ssl.TLSVersion, args.max_version)
    return ctx


def connect(args):
    if args.unix:
        raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw.settimeout(10)
        raw.connect(args.unix)
    else:
        raw = socket.create_connection(("127.0.0.1", args.port), timeout=10)
    return context(args).wrap_socket(raw, server_hostname=args.sni)


def names(cert):
    sans = [v for (k, v) in cert.get("subjectAltName", ())]
    cn = [v for rdn in cert.get("subject", ()) for (k, v) in rdn if k == "commonName"]
    return {"cn": cn[0] if cn else None, "sans": sans}


def exchange(args):
    try:
        with connect(args) as s:
            s.sendall((args.line + "\n").encode())
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
            return {"ok": True, "reply": reply.decode(errors="replace").strip(), "version": s.version(),
                    "cipher": s.cipher()[0], "peer": names(s.getpeercert()),
                    "fingerprint": hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()}
    except (OSError, ssl.SSLError, ValueError) as e:  # ValueError: an alert ended a TLS 1.3 handshake the client thought done
        return {"ok": False, "error": type(e).__name__ + ": " + str(e)}


def load(args):
    end = time.time() + args.seconds
    ok, failed, seen, errors = 0, 0, [], []
    while time.time() < end:
        r = exchange(args)
        if r["ok"] and r["reply"] == args.line.upper():
            ok += 1
            if not seen or seen[-1]["fingerprint"] != r["fingerprint"]:
                seen.append({"fingerprint": r["fingerprint"], "at": round(time.time(), 3), "peer": r["peer"]})
        else:
            failed += 1
            errors.append(r.get("error", r.get("reply")))
    return {"ok": ok, "failed": failed, "certificates": seen, "errors": errors[:5]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["exchange", "load"])
    p.add_argument("--port", type=int)
    p.add_argument("--unix")
    p.add_argument("--ca", required=True)
    p.add_argument("--sni")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--line", default="hello tls")
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--max-version")
    args = p.parse_args()
    print(json.dumps(exchange(args) if args.mode == "exchange" else load(args)))


if __name__ == "__main__":
    main()
