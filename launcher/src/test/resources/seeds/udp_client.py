# The UDP counterpart of seed 000's client, for the UDP server of seed 002: one datagram out, one back.
import os
import socket
import sys

HOST, PORT = os.environ.get("PORTSIDE_HOST", "localhost"), int(os.environ.get("PORTSIDE_PORT", "9999"))
data = " ".join(sys.argv[1:])

# SOCK_DGRAM is the socket type to use for UDP sockets
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(10)

# As you can see, there is no connect() call; UDP has no connections.
# Instead, data is directly sent to the recipient via sendto().
sock.sendto(bytes(data + "\n", "utf-8"), (HOST, PORT))
received = str(sock.recv(1024), "utf-8")

print("Sent:     {}".format(data))
print("Received: {}".format(received))
