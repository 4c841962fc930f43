"""A Hugo Academic (HugoBlox/Wowchemy) site with TOML and YAML configuration, post bundles with images and
shortcodes, publications with and without cite.bib, a project and an event, imported, built with --strict,
and checked."""
from __future__ import annotations

import re

import yaml

from conftest import write_site
from import_checks import JPEG, PNG, broken_links, build_strict
from mlfolio.importers import detect, import_site

HUGO = {
    "config/_default/config.toml": """
        # Configuration of Hugo
        # Guide: https://wowchemy.com/docs/getting-started/
        title = "Dr. Nelson Bighetti"   # Website name
        baseURL = 'https://bighetti.example.org/academic/'   # Website URL

        ############################
        ## Advanced options below ##
        ############################

        copyright = ""
        enableGitInfo = false
        defaultContentLanguage = "en"
        hasCJKLanguage = false
        paginate = 10

        [outputs]
          home = ["HTML", "RSS", "JSON", "WebAppManifest"]

        [markup]
          defaultMarkdownHandler = "goldmark"
          [markup.goldmark.renderer]
            unsafe = true
    """,
    "config/_default/params.yaml": """
        # SITE SETUP
        appearance:
          theme_day: minimal
        seo:
          description: 'Robotics, mobile computing and programmable matter.'
        features:
          math:
            enable: true
    """,
    "config/_default/menus.yaml": "main:\n  - name: Home\n    url: '#about'\n    weight: 10\n",
    "content/authors/admin/_index.md": """
        ---
        # Display name
        title: Nelson Bighetti

        # Is this the primary user of the site?
        superuser: true

        # Role/position/tagline
        role: Professor of Artificial Intelligence

        # Organizations/Affiliations to show in About widget
        organizations:
          - name: Stanford University
            url: https://www.stanford.edu/

        # Short bio (displayed in user profile at end of posts)
        bio: My research interests include distributed robotics.

        # Interests to show in About widget
        interests:
          - Artificial Intelligence
          - Computational Linguistics

        # Education to show in About widget
        education:
          courses:
            - course: PhD in Artificial Intelligence
              institution: Stanford University
              year: 2012
            - course: BSc in Artificial Intelligence
              institution: Massachusetts Institute of Technology
              year: 2008

        social:
          - icon: envelope
            icon_pack: fas
            link: 'mailto:nelson@example.org'
          - icon: twitter
            icon_pack: fab
            link: https://twitter.com/GeorgeCushen
          - icon: graduation-cap # Alternatively, use `google-scholar` icon from `ai` icon pack
            icon_pack: fas
            link: https://scholar.google.co.uk/citations?user=sIwtMXoAAAAJ
          - icon: github
            icon_pack: fab
            link: https://github.com/gcushen
          - icon: cv
            icon_pack: ai
            link: uploads/resume.pdf

        # Enter email to display Gravatar (if Gravatar enabled in Config)
        email: ''
        user_groups:
          - Principal Investigators
        ---

        Nelson Bighetti is a professor of artificial intelligence at the Stanford AI Lab. His research interests
        include distributed robotics, mobile computing and programmable matter. Read [my thesis](/uploads/thesis.pdf).

        {{< icon name="download" pack="fas" >}} Download my {{< staticref "uploads/resume.pdf" "newtab" >}}résumé{{< /staticref >}}.
    """,
    "content/authors/admin/avatar.jpg": JPEG,
    "content/post/getting-started/index.md": """
        ---
        title: 👋 Getting started with Hugo & Academic
        subtitle: Welcome 👋 We know that first impressions are important

        # Summary for listings and search engines
        summary: Welcome 👋 We know that first impressions are important.

        # Link this post with a project
        projects: []

        # Date published
        date: '2020-12-13T00:00:00Z'

        # Date updated
        lastmod: '2020-12-13T00:00:00Z'

        # Is this an unpublished draft?
        draft: false

        # Show this page in the Featured widget?
        featured: false

        # Featured image
        # Place an image named `featured.jpg/png` in this page's folder and customize its options here.
        image:
          caption: 'Image credit: [**Unsplash**](https://unsplash.com/photos/CpkOjOcXdUY)'
          focal_point: ''
          placement: 2
          preview_only: false

        authors:
          - admin

        tags:
          - Academic
          - 开源

        categories:
          - Demo
          - 教程
        ---

        ## Overview

        {{< figure src="diagram.png" caption="A **diagram** with a \\"quoted\\" word" numbered="true" >}}

        ![inline](./chart.jpg)

        {{< math >}}
        $$
        \\gamma_{n} = \\frac{ \\left | \\left (\\mathbf x_{n} - \\mathbf x_{n-1} \\right )^T \\right |}{\\left \\|\\nabla F (\\mathbf x_{n}) - \\nabla F (\\mathbf x_{n-1}) \\right \\|^2}
        $$
        {{< /math >}}

        As shown in {{< cite page="/publication/preprint" view="citation" >}} and in the
        [other post]({{< relref "post/second" >}}).

        {{% callout note %}}
        A Markdown aside is useful for displaying notices, hints, or definitions to your readers.
        {{% /callout %}}

        {{< spoiler text="Click to view the spoiler" >}}
        You found me!
        {{< /spoiler >}}

        {{< youtube w7Ft2ymGmfc >}}

        {{< table path="results.csv" header="true" caption="Table 1: My results" >}}
    """,
    "content/post/getting-started/featured.jpg": JPEG,
    "content/post/getting-started/diagram.png": PNG,
    "content/post/getting-started/chart.jpg": JPEG,
    "content/post/second.md": """
        +++
        title = "A second post, in TOML"
        date = 2021-03-04T10:00:00Z
        tags = ["Hugo"]
        draft = false
        +++

        Back to the [first post](/post/getting-started/), an image from static ![logo](/media/logo.png)
        and one from the library: {{< figure src="logo.png" library="true" >}}
    """,
    "content/post/_index.md": "---\ntitle: Posts\n---\n",
    "content/publication/preprint/index.md": """
        ---
        title: "An example preprint / working paper"
        authors:
          - admin
        date: "2019-04-07T00:00:00Z"
        publication_types: ["3"]
        publication: ""
        abstract: Lorem ipsum dolor sit amet, consectetur adipiscing elit.
        url_pdf: 'http://arxiv.org/pdf/1512.04133v1'
        url_code: '#'
        ---
    """,
    "content/publication/preprint/cite.bib": """
        @article{bighetti2019preprint,
          title={An example preprint / working paper},
          author={Bighetti, Nelson and Ford, Robert},
          journal={arXiv preprint},
          year={2019}
        }
    """,
    "content/publication/journal-article/index.md": """
        ---
        title: "An example journal article"
        authors:
          - admin
          - Robert Ford
          - José Müller
        date: "2015-09-01T00:00:00Z"
        publication_types: ["article-journal"]
        publication: "*Journal of Source Themes, 1*(1)"
        abstract: Lorem ipsum dolor sit amet, consectetur adipiscing elit.
        doi: "10.5555/123456"
        url_pdf: http://example.org/paper.pdf
        ---
    """,
    "content/project/internal-project/index.md": """
        ---
        title: Internal Project
        summary: An example of using the in-built project page.
        tags:
          - Deep Learning
        date: '2016-04-27T00:00:00Z'
        ---

        Lorem ipsum dolor sit amet, consectetur adipiscing elit. ![the figure](featured.png)
    """,
    "content/project/internal-project/featured.png": PNG,
    "content/event/example/index.md": """
        ---
        title: Example Talk
        event: Hugo Conference
        event_url: https://example.org
        location: Hugo HQ
        date: '2030-06-01T13:00:00Z'
        url_slides: 'https://slides.com/example'
        ---

        Slides can be added in a few ways.
    """,
    "static/uploads/resume.pdf": b"%PDF-1.4\n",
    "static/uploads/thesis.pdf": b"%PDF-1.4\n",
    "static/media/logo.png": PNG,
    "assets/media/logo.png": PNG,
    "go.mod": "module github.com/wowchemy/starter-academic\n",
}


def test_hugo_academic(tmp_path):
    source = write_site(tmp_path / "src", HUGO)
    assert detect(source) == "hugo-academic"
    report = import_site(source, tmp_path / "new")
    assert report.build == []
    site = tmp_path / "new"
    out = build_strict(site, tmp_path / "out")
    assert broken_links(out, "/academic/") == []

    config = yaml.safe_load((site / "mlfolio.yml").read_text())
    assert config == {"title": "Dr. Nelson Bighetti", "url": "https://bighetti.example.org/academic",
                      "description": "Robotics, mobile computing and programmable matter.", "language": "en"}
    profile = yaml.safe_load((site / "profile.yml").read_text())
    assert profile["name"] == "Nelson Bighetti"
    assert profile["headline"] == "Professor of Artificial Intelligence, Stanford University"
    assert profile["avatar"] == "img/avatar.jpg"
    assert profile["email"] == "nelson@example.org"
    assert profile["links"] == {"x": "https://twitter.com/GeorgeCushen",
                                "scholar": "https://scholar.google.co.uk/citations?user=sIwtMXoAAAAJ",
                                "github": "https://github.com/gcushen"}
    assert "Read [my thesis](/uploads/thesis.pdf)." in profile["bio"]
    assert " Download my [résumé](/uploads/resume.pdf)." in profile["bio"]
    assert [e["degree"] for e in profile["education"]] == ["PhD in Artificial Intelligence",
                                                          "BSc in Artificial Intelligence"]
    assert profile["skills"] == {"Interests": ["Artificial Intelligence", "Computational Linguistics"]}
    assert profile["projects"] == [{"title": "Internal Project",
                                    "description": "An example of using the in-built project page.",
                                    "url": "pages/project/internal-project.md", "tags": ["Deep Learning"],
                                    "image": "img/project/internal-project/featured.png",
                                    "date": __import__("datetime").date(2016, 4, 27)}]

    post = (site / "posts/2020-12-13-getting-started/index.md").read_text()
    meta = yaml.safe_load(post.split("---\n")[1])
    assert meta["tags"] == ["Academic", "开源", "Demo", "教程"]
    assert meta["image"] == "blog/getting-started/featured.jpg"         # beside the post
    assert meta["extra"] == {"authors": ["admin"], "featured": False, "projects": []}
    assert '![A diagram with a "quoted" word](diagram.png "A **diagram** with a \\"quoted\\" word")' in post
    assert "![inline](chart.jpg)" in post
    assert "$$\n\\gamma_{n}" in post and "{{<" not in post and "{{%" not in post
    assert "As shown in [@bighetti2019preprint] and in the\n[other post](../2021-03-04-second.md)." in post
    assert "> **Note:** \nA Markdown aside" in post
    assert "<details><summary>Click to view the spoiler</summary>" in post
    assert "[▶ Video](https://www.youtube.com/watch?v=w7Ft2ymGmfc)" in post
    second = (site / "posts/2021-03-04-second.md").read_text()
    assert "[first post](2020-12-13-getting-started/index.md)" in second and "![logo](/media/logo.png)" in second
    assert (out / "blog/getting-started/index.html").is_file()
    assert (out / "blog/getting-started/diagram.png").read_bytes() == PNG
    assert (site / "posts/2020-12-13-getting-started/diagram.png").read_bytes() == PNG   # still a bundle
    assert (out / "talks/index.html").is_file()
    assert yaml.safe_load((site / "profile.yml").read_text())["talks"] == [{
        "title": "Example Talk", "date": __import__("datetime").date(2030, 6, 1), "event": "Hugo Conference",
        "location": "Hugo HQ", "url": "https://example.org", "slides": "https://slides.com/example",
        "description": "Slides can be added in a few ways."}]

    bib = (site / "publications.bib").read_text()
    assert re.findall(r"@(\w+)\{(\w+),", bib) == [("article", "bighetti2015example"),
                                                  ("article", "bighetti2019preprint")]
    assert "author = {Nelson Bighetti and Robert Ford and José Müller}" in bib
    assert "journal = {Journal of Source Themes, 1(1)}" in bib and "doi = {10.5555/123456}" in bib

    assert {k: report.counts[k] for k in ("posts", "publications", "projects", "talks")} == {
        "posts": 2, "publications": 2, "projects": 1, "talks": 1}
    lines = report.text("src", "new").splitlines()
    assert "  content/post/getting-started/index.md:68: 'table' shortcode removed (its content, if any, kept) — " \
           "write what it showed as Markdown or HTML" in lines
    assert "  content/authors/admin/_index.md:60: 'icon' shortcode removed — mlfolio has no such element" in lines
    assert any(line.startswith("  content/authors/admin/_index.md: social link 'uploads/resume.pdf' not carried over")
               for line in lines)
