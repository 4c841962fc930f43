"""Visitor analytics: one mlfolio.yml section naming a provider. None by default; the cookieless providers
(Plausible, GoatCounter, Umami) need no consent banner; Google Analytics is set to store nothing on the
visitor's device. The theme adds the script only to built sites, never in `serve`."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import opt

PROVIDERS = ("plausible", "goatcounter", "umami", "google")
_GOOGLE_ID = re.compile(r"^G-[A-Z0-9]{4,20}$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_UUID = re.compile(r"^[0-9a-fA-F-]{36}$")


@dataclass
class AnalyticsSettings:
    provider: str = opt("", "`plausible`, `goatcounter`, `umami` or `google`; empty: no analytics.", choices=("", *PROVIDERS))
    domain: str = opt("", "plausible: the domain registered there; default: the host of `url`.")
    script: str = opt("", "plausible, umami: the script's address when self-hosted (default: the provider's cloud).", url=True)
    code: str = opt("", "goatcounter: your site code (`CODE` of CODE.goatcounter.com).")
    website_id: str = opt("", "umami: the website id (a UUID).")
    measurement_id: str = opt("", "google: the measurement id, `G-XXXXXXX`.")


def check_analytics(settings: AnalyticsSettings, marks: dict, report) -> None:
    """`report(line, col, message, hint)` for a key the provider needs that is missing or malformed."""
    p = settings.provider
    if not p:
        return
    here = marks.get("analytics.provider") or marks.get("analytics", (None, None))
    needs = {"goatcounter": ("code", _CODE, "your GoatCounter code, e.g. code: ada (from ada.goatcounter.com)"),
             "umami": ("website_id", _UUID, "the website id from Umami's settings, a UUID"),
             "google": ("measurement_id", _GOOGLE_ID, "the measurement id from Google Analytics, e.g. G-1A2B3C4D5E")}
    if p in needs:
        key, pattern, hint = needs[p]
        value = getattr(settings, key).strip()
        if not value:
            report(*here, f"analytics: {p} needs '{key}'", hint)
        elif not pattern.match(value):
            report(*marks.get(f"analytics.{key}", here), f"analytics.{key}: '{value}' is not a valid {p} {key}",
                   hint)
