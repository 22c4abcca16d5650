"""A throw-away Dovecot on a loopback port, configured in a temp dir (see shared notes/mail.md).

Used by the mailbox tests and by benchmarks/mailbox_ingest.py. Users are lines in a passwd-file,
which Dovecot re-reads when it changes, so each test gets a fresh user (and so a fresh Maildir)
without restarting the server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "secret"
_POOL = 400

_CONFIG = """\
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
{internal}
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/mail/%d/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
{chroot}
}}
service anvil {{
{chroot}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def available() -> bool:
    return Path(DOVECOT).exists()


@dataclass
class Dovecot:
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-")))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    pool: list[str] = field(default_factory=list)

    @property
    def users_file(self) -> Path:
        return self.directory / "users"

    def _config(self) -> str:
        if os.geteuid() == 0:
            internal = (
                "default_internal_user = dovecot\ndefault_internal_group = dovecot\n"
                "default_login_user = dovenull"
            )
            uid, gid, chroot = "nobody", "nogroup", ""
        else:
            import grp
            import pwd

            user = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            internal = (
                f"default_internal_user = {user}\ndefault_internal_group = {group}\n"
                f"default_login_user = {user}"
            )
            uid, gid, chroot = user, group, "  chroot ="
        return _CONFIG.format(
            dir=self.directory, port=self.port, internal=internal, uid=uid, gid=gid, chroot=chroot
        )

    def start(self) -> None:
        # Dovecot's auth process runs as another user: it must be able to reach the users file.
        self.directory.chmod(0o755)
        for sub in ("run", "state", "mail"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        # Users are written up front: Dovecot notices a changed passwd-file by its mtime, which may
        # not change between two quick additions.
        self.pool = [f"u{uuid.uuid4().hex[:10]}@klientiem.test" for _ in range(_POOL)]
        self.users_file.write_text("".join(f"{user}:{{PLAIN}}{PASSWORD}::::::\n" for user in self.pool))
        if os.geteuid() == 0:
            shutil.chown(self.directory / "mail", "nobody", "nogroup")
        config = self.directory / "dovecot.conf"
        config.write_text(self._config())
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.wait_ready()

    def wait_ready(self, seconds: float = 15.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"dovecot exited: {error.strip()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    if conn.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("dovecot did not start listening")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def restart(self) -> None:
        self.stop()
        self.start_keeping_users()

    def restart_dropping_clients(self) -> None:
        """A restart that also ends the sessions of logged-in clients, as a host's restart does.

        Stopping the master alone leaves a logged-in client's ``imap`` process serving it (measured
        here: NOOP still works after :meth:`restart`), so the master's own children are ended by
        their pids once it is gone."""
        children = self._children()
        self.stop()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.start_keeping_users()

    def _children(self) -> list[int]:
        if self.process is None:
            return []
        found = []
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def start_keeping_users(self) -> None:
        config = self.directory / "dovecot.conf"
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.wait_ready()

    def add_user(self) -> str:
        """A user nobody has used yet in this server's life (so a fresh, empty Maildir)."""
        return self.pool.pop()
