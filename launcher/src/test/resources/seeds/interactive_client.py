# -*- coding: utf-8 -*-
# Seed 001: the interactive client. Unchanged but for HOST/PORT, which may come from the environment.
# It reads lines from stdin until EOF (where input() raises EOFError, as in the seed).
import os
import socket

HOST, PORT = os.environ.get("PORTSIDE_HOST", "localhost"), int(os.environ.get("PORTSIDE_PORT", "9999"))

client = socket.socket()

client.connect((HOST, PORT))

while True:

    msg = input('>>:').strip()

    if not msg:

        continue

    else:

        client.send(msg.encode('utf-8'))

        updata = client.recv(1024)

        print(updata.decode())
