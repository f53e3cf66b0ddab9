"""A real SMTP server (aiosmtpd on 127.0.0.1, a free port) that records what it receives."""
import email
import email.policy

import aiosmtpd.controller


def use_smtp_server(app, monkeypatch, port: int) -> None:
    """The app's mail really sent, to the SMTP server at 127.0.0.1:`port` (until the test ends)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", False)


class RecordingHandler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content.replace(b"\r\n", b"\n")
        self.messages.append((envelope, email.message_from_bytes(raw, policy=email.policy.default)))
        return "250 Message accepted for delivery"


class EphemeralController(aiosmtpd.controller.Controller):
    """aiosmtpd on a free port chosen by the OS (it refuses port 0 by itself)."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """A real SMTP server that a test can stop and start again on the same port."""

    def __init__(self, handler=None):
        self.handler = handler or RecordingHandler()
        self.controller = EphemeralController(self.handler, hostname="127.0.0.1", port=0)
        self.controller.start()
        self.port = self.controller.port

    @property
    def messages(self):
        return self.handler.messages

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def start(self, handler=None):
        """(Re)start on the same port; an aiosmtpd controller cannot be restarted, so make one."""
        self.stop()
        if handler is not None:
            handler.messages = self.handler.messages
            self.handler = handler
        self.controller = aiosmtpd.controller.Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
