"""The interface of a remote source, and what sources share: credentials and 'no such account'."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..projects import SourceStatus, SourceView


@dataclass
class Credentials:
    """A secret found in the environment: request headers carry it; `secrets` are redacted from every message."""

    headers: dict[str, str] = field(repr=False)
    source: str                            # where it came from, for messages: never the secret itself
    secrets: tuple[str, ...] = field(repr=False, default=())
    username: str = ""

    def __str__(self) -> str:
        return f"credentials from {self.source}"


class ApiClient:
    """What a source's API client shares: the shared HTTP client, the API's base URL (overridable) and the
    credentials, which travel only in request headers."""

    default_api = ""

    def __init__(self, http, *, api_url: str = "", credentials: Credentials | None = None):
        self.http = http
        self.api = (api_url or self.default_api).rstrip("/")
        self.credentials = credentials

    def headers(self) -> dict[str, str]:
        h = {"Accept": "application/json"}
        if self.credentials:
            h.update(self.credentials.headers)
        return h


class SourceNotFound(Exception):
    """The account does not exist: an error at the settings key `key` (e.g. 'user'), not a fallback."""

    def __init__(self, message: str, hint: str = "", key: str = "user"):
        super().__init__(message)
        self.message, self.hint, self.key = message, hint, key


class Source:
    """The interface every remote source implements; the defaults suit a public API without credentials."""

    name: str = ""                 # mlfolio.yml section and snapshot key: 'github'
    label: str = ""                # 'GitHub'
    settings: type | None = None   # dataclass of its mlfolio.yml section
    identity: str = "user"         # the settings field naming whose data it is; empty turns the source off
    api_env: str = ""              # env variable that overrides `settings.api_url` (tests point it at 127.0.0.1)
    link_kind: str = ""            # profile link ('github') added from the data when profile.yml has none
    needs_credentials: bool = False   # without credentials: skipped (with a warning), not failed
    credentials_hint: str = ""

    config_key: str = ""           # mlfolio.yml key its warnings point at; default '<name>.<identity>'

    def settings_in(self, config, site_dir):
        """Its settings: the mlfolio.yml section named after it, or None when absent (the source is off)."""
        return config.sections.get(self.name)

    def user(self, settings) -> str:
        return str(getattr(settings, self.identity, "") or "").strip()

    def credentials(self, env) -> Credentials | None:
        return None

    def fetch(self, http, settings, user: str, credentials: Credentials | None) -> dict:
        """The source's snapshot section for `user`; raises RemoteError (falls back) or SourceNotFound."""
        raise NotImplementedError

    def fresh_enough(self, data: dict, settings) -> bool:
        """Whether cached data inside the TTL still has everything the settings ask for."""
        return True

    def explain(self, exc, credentials: Credentials | None) -> tuple[str, str]:
        """(what failed, what to do) for a RemoteError, in the source's own words."""
        return exc.reason, "check the network, or build with --offline"

    def view(self, data: dict, settings, user: str, status: SourceStatus) -> SourceView:
        """What the site shows; `data` is {} when there is none yet (the view still exists, with its status)."""
        raise NotImplementedError

    def check(self, data: dict, settings) -> list[tuple[str, str, str]]:
        """Warnings about the settings given the data: (settings key, message, hint)."""
        return []

    def summary(self, data: dict, view: SourceView) -> str:
        """One line for `mlfolio fetch`."""
        return f"{len(data)} fields"


__all__ = ["ApiClient", "Credentials", "Source", "SourceNotFound"]
