"""Analytics: each provider's snippet only when configured and only in built sites; ids validated at their
line; nothing by default."""
from __future__ import annotations

import pytest

from mlfolio.build import BuildOptions, build_site
from mlfolio.cli import main

BASE = "title: T\nurl: https://ada.github.io/portfolio/\n"


def home(site, **kw) -> str:
    build_site(BuildOptions(site_dir=site, **kw))
    return (site / "_site/index.html").read_text()


@pytest.mark.parametrize("yml, present", [
    ("analytics:\n  provider: plausible\n",
     '<script defer data-domain="ada.github.io" src="https://plausible.io/js/script.js"></script>'),
    ("analytics:\n  provider: plausible\n  domain: ada.dev\n  script: https://stats.ada.dev/js/script.js\n",
     '<script defer data-domain="ada.dev" src="https://stats.ada.dev/js/script.js"></script>'),
    ("analytics:\n  provider: goatcounter\n  code: ada\n",
     'data-goatcounter="https://ada.goatcounter.com/count" src="https://gc.zgo.at/count.js"'),
    ("analytics:\n  provider: umami\n  website_id: 94db1cb1-74f4-4a40-ad6c-962362670409\n",
     'src="https://cloud.umami.is/script.js" data-website-id="94db1cb1-74f4-4a40-ad6c-962362670409"'),
    ("analytics:\n  provider: google\n  measurement_id: G-1A2B3C4D5E\n",
     'gtag("config", "G-1A2B3C4D5E", {client_storage: "none", anonymize_ip: true});'),
])
def test_each_provider_in_the_built_site_only(make_site, yml, present):
    site = make_site({"mlfolio.yml": BASE + yml})
    assert present in home(site)
    assert present not in home(site, preview=True)


def test_none_by_default(make_site):
    html = home(make_site())
    assert not any(s in html for s in ("plausible", "goatcounter", "umami", "googletagmanager"))


@pytest.mark.parametrize("yml, expected", [
    ("analytics:\n  provider: matomo\n", "mlfolio.yml:4:13: 'analytics.provider'"),
    ("analytics:\n  provider: google\n", "mlfolio.yml:4:13: analytics: google needs 'measurement_id'"),
    ("analytics:\n  provider: google\n  measurement_id: \"G-1</script><script>alert(1)\"\n",
     "mlfolio.yml:5:19: analytics.measurement_id: 'G-1</script><script>alert(1)' is not a valid google"),
    ("analytics:\n  provider: goatcounter\n  code: Ada Lovelace\n", "analytics.code: 'Ada Lovelace' is not a valid"),
])
def test_bad_settings_are_errors_at_their_line(make_site, capsys, yml, expected):
    site = make_site({"mlfolio.yml": BASE + yml})
    assert main(["build", str(site), "-q"]) == 1
    assert expected in capsys.readouterr().err
