# Seed 002, the asynchronous example's client(), in Python 3 (bytes on the wire, the reply decoded to print).
# The seed runs its own ThreadingMixIn server; here the server is the thread-reporter sample.
import os
import socket
import sys


def client(ip, port, message):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect((ip, port))
    try:
        sock.sendall(message)
        response = sock.recv(1024)
        print('Received: {}'.format(response.decode('utf-8')))
    finally:
        sock.close()


if __name__ == '__main__':
    ip, port = os.environ.get("PORTSIDE_HOST", "localhost"), int(os.environ.get("PORTSIDE_PORT", "9998"))
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for i in range(1, count + 1):
        client(ip, port, 'Hello World {}'.format(i).encode('utf-8'))
