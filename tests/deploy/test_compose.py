"""docker-compose.yml is a valid Compose file (checked against the Compose Specification's JSON
schema, since no Docker engine runs here) with the production shape; the Dockerfile is slim and
runs as a non-root user; the container health check and secrets entry point work."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from helpdesk.cli import COMMAND_MODULES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).with_name("compose-spec.json")).read_text(encoding="utf-8"))
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
HELPDESK_SERVICES = ("migrate", "bot", "mailbox", "jobs", "console")
LONG_RUNNING = ("postgres", "redis", "dovecot", "mailpit", "bot", "mailbox", "jobs", "console")


def _errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_validates_against_the_compose_schema() -> None:
    assert _errors(COMPOSE) == []


def test_the_schema_really_checks() -> None:
    broken = copy.deepcopy(COMPOSE)
    broken["services"]["jobs"]["healthcheck"] = {"tset": ["CMD", "true"]}
    broken["services"]["console"]["deploy"] = {"replicas": [2]}
    errors = _errors(broken)
    assert any(e.startswith("services/jobs/healthcheck") for e in errors)
    assert any(e.startswith("services/console/deploy/replicas") for e in errors)


def test_the_shape() -> None:
    assert set(SERVICES) == {"postgres", "redis", "dovecot", "mailpit", *HELPDESK_SERVICES}
    for name in LONG_RUNNING:
        check = SERVICES[name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["command"] == ["helpdesk", "db", "upgrade"]
    for name in ("bot", "mailbox", "jobs", "console"):
        needs = SERVICES[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully", name
        assert needs["postgres"]["condition"] == "service_healthy", name
        command = SERVICES[name]["command"]
        assert command[0] == "helpdesk" and command[1] in COMMAND_MODULES, command
    assert SERVICES["mailpit"]["ports"] == ["8025:8025"]  # the mail sink's web UI


def test_the_bot_scales_out_behind_a_load_balancer() -> None:
    bot = SERVICES["bot"]
    assert bot["deploy"]["replicas"] >= 2
    assert "ports" not in bot  # no fixed host port, which two replicas could not share
    assert bot["environment"]["HELPDESK_WEBHOOK_URL"]  # webhook mode: polling cannot scale out
    assert bot["environment"]["HELPDESK_REDIS_URL"].startswith("redis://redis")  # shared FSM state
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"


def test_secrets_are_files_not_environment() -> None:
    defined = set(COMPOSE["secrets"])
    for name, service in SERVICES.items():
        assert set(service.get("secrets", [])) <= defined, name
        for key in service.get("environment", {}):
            assert not re.search(r"PASSWORD$|SECRET|TOKEN$|DATABASE_URL$", key) or key.endswith("_FILE"), (
                f"{name} puts {key} in the environment"
            )
    assert {"helpdesk_secret_key", "helpdesk_database_url", "helpdesk_telegram_token"} <= defined


def test_images_name_no_registry_host() -> None:
    for name, service in SERVICES.items():
        image = service["image"]
        first = image.split("/", 1)[0]
        assert "/" not in image or not ("." in first or ":" in first), f"{name}: {image}"


def test_dockerfile_is_slim_non_root_and_without_dev_extras() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [
        line.strip() for line in dockerfile.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert instructions[0] == "FROM python:3.11-slim"
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    installs = [line for line in instructions if "pip install" in line]
    assert installs == ["RUN pip install . \\"]  # the package alone: no [dev] extra, no test tools
    assert 'ENTRYPOINT ["helpdesk-entrypoint"]' in instructions
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for path in (".git", ".venv", "tests", "secrets", ".env", "var"):
        assert path in ignored


def test_entrypoint_turns_secret_files_into_settings(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "helpdesk_secret_key").write_text("from-a-file")
    (secrets / "helpdesk_telegram_token").write_text("from-a-file")
    (secrets / "postgres_password").write_text("not for the helpdesk")
    script = (
        (ROOT / "scripts" / "docker-entrypoint.sh")
        .read_text(encoding="utf-8")
        .replace("/run/secrets", str(secrets))
    )
    (tmp_path / "entrypoint.sh").write_text(script)
    env = {"PATH": os.environ["PATH"], "HELPDESK_TELEGRAM_TOKEN": "set-explicitly"}
    shown = subprocess.run(
        ["sh", str(tmp_path / "entrypoint.sh"), "sh", "-c", "env | grep -E '^(HELPDESK_|POSTGRES)' | sort"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shown == ["HELPDESK_SECRET_KEY=from-a-file", "HELPDESK_TELEGRAM_TOKEN=set-explicitly"]


@pytest.mark.parametrize("healthy", [True, False])
def test_container_health_check(database_url: str, healthy: bool) -> None:
    url = database_url if healthy else "postgresql+asyncpg://postgres@127.0.0.1:9/none"
    result = subprocess.run(
        [sys.executable, "-m", "helpdesk.ops.healthcheck"],
        env={**os.environ, "HELPDESK_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == (0 if healthy else 1), result.stderr
    assert result.stderr == ("" if healthy else "unhealthy: ConnectionRefusedError\n")
