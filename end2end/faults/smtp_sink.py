"""A mail relay that keeps nothing but who each message was for, for scripts/faults.sh.

    python3 end2end/faults/smtp_sink.py PORT LOG

Speaks enough SMTP for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS) and appends
one line per message accepted to LOG: its recipients, separated by spaces. Killing it is the
relay going down; starting it again on the same port, the relay coming back.
"""

import asyncio
import sys


async def session(reader, writer, log):
    def say(line):
        writer.write((line + "\r\n").encode())

    say("220 faults-sink ESMTP")
    recipients = []
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            verb = line.decode(errors="replace").strip()
            upper = verb.upper()
            if upper.startswith("EHLO"):
                say("250-faults-sink")
                say("250-8BITMIME")
                say("250 SMTPUTF8")
            elif upper.startswith("HELO"):
                say("250 faults-sink")
            elif upper.startswith("MAIL FROM"):
                recipients = []
                say("250 OK")
            elif upper.startswith("RCPT TO"):
                address = verb.split(":", 1)[1].strip().split()[0].strip("<>")
                recipients.append(address)
                say("250 OK")
            elif upper == "DATA":
                say("354 end with <CRLF>.<CRLF>")
                await writer.drain()
                while True:
                    data = await reader.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                with open(log, "a", encoding="utf-8") as out:
                    out.write(" ".join(recipients) + "\n")
                recipients = []
                say("250 OK queued")
            elif upper == "RSET":
                recipients = []
                say("250 OK")
            elif upper == "NOOP":
                say("250 OK")
            elif upper == "QUIT":
                say("221 bye")
                await writer.drain()
                break
            else:
                say("502 not implemented")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    port, log = int(sys.argv[1]), sys.argv[2]
    server = await asyncio.start_server(
        lambda r, w: session(r, w, log), "127.0.0.1", port, reuse_address=True
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
