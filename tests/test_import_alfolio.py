"""An al-folio site imported, built with --strict, and checked: posts, publications, news, projects, images
and the notebook arrived, every internal link resolves, and the report names what was not converted."""
from __future__ import annotations

import json

import pytest
import yaml

from conftest import write_site
from import_checks import GIF, JPEG, PNG, broken_links, build_strict
from mlfolio.cli import main
from mlfolio.config import SiteConfig
from mlfolio.importers import detect, import_site

COMMENTS = "comments" in SiteConfig.__dataclass_fields__     # this mlfolio has comments and analytics

CONFIG = """
    # -----------------------------------------------------------------------------
    # Site settings
    # -----------------------------------------------------------------------------
    title: blank # the website title (if blank, full name will be used instead)
    first_name: Ada
    middle_name: Byron
    last_name: Lovelace
    contact_note: >
      You can even add a little note about which of these is the best way to reach you.
    description: > # the ">" symbol means to ignore newlines until "footer_text:"
      A simple, whitespace theme for <b>academics</b>. Based on [*folio](https://github.com/bogoli/-folio) design.
    footer_text: >
      Powered by <a href="https://jekyllrb.com/" target="_blank">Jekyll</a>
    keywords: jekyll, jekyll-theme, academic-website, portfolio-website
    lang: en
    icon: ⚛️
    url: https://ada.github.io # the base hostname & protocol for your site
    baseurl: /portfolio # the subpath of your site, e.g. /blog/
    last_updated: false
    permalink: /blog/:year/:title/
    scholar_userid: qc6CJjYAAAAJ
    github_username: ada-lovelace # old al-folio: socials in _config.yml
    google_analytics: G-XXXXXXX
    giscus:
      repo: ada/ada.github.io
      repo_id: R_kgDOExample
      category: Comments
      category_id: DIC_kwDOExample4CdZ
      mapping: title
    external_sources:
      - name: medium.com
        rss_url: https://medium.com/@al-folio/feed
    scholar:
      last_name: [Lovelace]
      first_name: [Ada, A.]
      style: apa
      source: /_bibliography/
      bibliography: papers.bib
    enable_math: true
"""

ABOUT = """
    ---
    layout: about
    title: about
    permalink: /
    subtitle: <a href='#'>Affiliations</a>. Address. Contacts. Motto. Etc.

    profile:
      align: right
      image: prof_pic.jpg
      image_circular: false # crops the image to make it circular
      more_info: >
        <p>555 your office number</p>
        <p>123 your address street</p>
        <p>Your City, State 12345</p>

    selected_papers: true # includes a list of papers marked as "selected={true}"
    social: true # includes social icons at the bottom of the page

    announcements:
      enabled: true # includes a list of news items
      scrollable: true # adds a vertical scroll bar if there are more than 3 news items
      limit: 5 # leave blank to include all the news in the `_news` folder
    ---

    Write your biography here. Tell the world about yourself. Link to your favorite [subreddit](http://reddit.com).
    You can put a picture in, too: the code is already in, just name your picture `prof_pic.jpg` and put it
    in the `img/` folder.

    My [research statement]({{ '/assets/pdf/statement.pdf' | relative_url }}) and my latest
    [post on math]({% post_url 2015-10-20-math %}).
"""

POST_IMAGES = """
    ---
    layout: post
    title: a post with images
    date: 2015-05-15 21:01:00
    description: this is what included images could look like
    tags: formatting images
    categories: sample-posts
    thumbnail: assets/img/9.jpg
    giscus_comments: true
    related_posts: false
    toc:
      sidebar: left
    ---

    This is an example post with image galleries.

    <div class="row mt-3">
        <div class="col-sm mt-3 mt-md-0">
            {% include figure.liquid loading="eager" path="assets/img/9.jpg" class="img-fluid rounded z-depth-1" zoomable=true caption='A "quoted" caption with Ünïcode' %}
        </div>
        <div class="col-sm mt-3 mt-md-0">
            {% include figure.liquid path="assets/img/7.jpg" title="example image" class="img-fluid rounded z-depth-1" %}
        </div>
    </div>
    <div class="caption">
        A simple, elegant caption looks good between image rows, after each row, or just before the tag.
    </div>

    Images can be made zoomable.
    Simply add `data-zoomable` to `<img>` tags that you want to make zoomable.
    {: .text-justify}

    See [the math post]({% post_url 2015-10-20-math %}), the [old address of it]({{ site.baseurl }}/blog/2015/math/)
    and [my CV]({% link _pages/teaching.md %}).
    ![a plain image]({{ site.baseurl }}/assets/img/12.png)
"""

POST_MATH = """
    ---
    layout: post
    title: a post with math
    date: 2015-10-20 11:12:00-0400
    description: an example of a blog post with some math
    tags: formatting math
    categories: sample-posts
    related_posts: false
    ---

    * this list will be replaced by the table of contents
    {:toc}

    This theme supports rendering beautiful math in inline and display modes using [MathJax 3](https://www.mathjax.org/) engine.
    You just need to surround your math expression with `$$`, like `$$ E = mc^2 $$`.

    {% highlight python linenos %}
    def f(x):
        return {"a": x}  # a dict
    {% endhighlight %}

    {% raw %}
    Liquid shown literally: {{ site.title }} and {% if x %}
    {% endraw %}

    Cite me {% cite einstein1950meaning %}.

    {% if site.enable_math %}Math is on.{% endif %}
"""

POST_NOTEBOOK = """
    ---
    layout: post
    title: a post with jupyter notebook
    date: 2023-07-04 08:57:00-0400
    description: an example of a blog post with jupyter notebook
    tags: formatting jupyter
    categories: sample-posts
    giscus_comments: true
    related_posts: false
    ---

    To include a jupyter notebook in a post, you can use the following code:

    {::nomarkdown}
    {% assign jupyter_path = 'assets/jupyter/blog.ipynb' | relative_url %}
    {% capture notebook_exists %}{% file_exists assets/jupyter/blog.ipynb %}{% endcapture %}
    {% if notebook_exists == 'true' %}
      {% jupyter_notebook jupyter_path %}
    {% else %}
      <p>Sorry, the notebook you are looking for does not exist.</p>
    {% endif %}
    {:/nomarkdown}

    ```vega_lite
    {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": [{"a": 1}]}, "mark": "bar",
     "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    ```

    ```chartjs
    {"type": "line"}
    ```
"""

POST_DISTILL = """
    ---
    layout: distill
    title: a distill-style blog post
    tags: distill formatting
    date: 2021-05-22
    authors:
      - name: Albert Einstein
        url: "https://en.wikipedia.org/wiki/Albert_Einstein"
        affiliations:
          name: IAS, Princeton
    bibliography: 2018-12-22-distill.bib
    toc:
      - name: Equations
      - name: Citations
    _styles: >
      .fake-img { background: #bbb; }
    ---

    The citation is presented inline like this: <d-cite key="gregor2015draw, mercier2011humans"></d-cite>.
    The number of the footnote will be automatically generated.<d-footnote>This will become a
    hoverable footnote.</d-footnote>

    ````markdown
    ```c++
    code code code
    ```
    {: .not-an-attribute-list-in-code}
    ````

    <div class="l-page">
      <iframe src="{{ '/assets/plotly/demo.html' | relative_url }}" frameborder='0' scrolling='no' height="500px" width="100%"></iframe>
    </div>

    <div class="row mt-3">
        <div class="col-sm mt-3 mt-md-0">
            {% include video.liquid path="assets/video/clip.mp4" class="img-fluid rounded z-depth-1" controls=true autoplay=true %}
        </div>
        <div class="col-sm mt-3 mt-md-0">
            {% include video.liquid path="https://www.youtube.com/embed/jNQXAC9IVRw" class="img-fluid rounded z-depth-1" %}
        </div>
    </div>

    {% details Click here to know more %}
    Additional details, where math $$ 2x - 1 $$ and `code` is rendered correctly.
    {% enddetails %}
"""

BIB = r"""
---
---

@string{aps = {American Physical Society,}}

@book{einstein1920relativity,
  title={Relativity: the Special and the General Theory},
  author={Einstein, Albert},
  year={1920},
  publisher={Methuen \& Co Ltd},
  html={relativity.html}
}

@article{einstein1950meaning,
  abbr={AJP},
  bibtex_show={true},
  title={The meaning of relativity},
  author={Einstein, Albert and Taub, AH and Schr{\"o}dinger, Erwin and G{\"o}del, Kurt},
  journal={American Journal of Physics},
  volume={18},
  number={6},
  pages={403--404},
  year={1950},
  publisher={American Association of Physics Teachers},
  preview={wave-mechanics.gif},
  selected={true}
}

@article{przibram1967letters,
  bibtex_show={true},
  title={Letters on wave mechanics},
  author={Einstein, Albert and Schrödinger, Erwin and Planck, Max and Lorentz, Hendrik Antoon and Przibram, Karl},
  year={1967},
  publisher={Vision},
  abstract={Gedenkschrift with Ærøskøbing accents: é, ñ, ł.},
}
"""

DISTILL_BIB = r"""
@article{gregor2015draw,
  title={DRAW: A recurrent neural network for image generation},
  author={Gregor, Karol and Danihelka, Ivo and Graves, Alex and Rezende, Danilo Jimenez and Wierstra, Daan},
  journal={arXiv preprint, arXiv:1502.04623},
  year={2015},
  url={https://arxiv.org/pdf/1502.04623.pdf}
}
"""

CV = """
- title: General Information
  type: map
  contents:
    - name: Full Name
      value: Ada Lovelace
    - name: Languages
      value: English, French

- title: Education
  type: time_table
  contents:
    - title: PhD
      institution: University of Zürich, Zurich, Switzerland
      year: 1905
      description:
        - Description 1.
        - title: Description 3.
          contents:
            - Sub-description 1.

- title: Experience
  type: time_table
  contents:
    - title: Professor of Theoretical Physics
      institution: Institute for Advanced Study, Princeton University
      year: 1933 - 1955
      description:
        - Description 1.
    - title: Director
      institution: Kaiser Wilhelm Institute for Physics, Berlin, Germany.
      year: 1917-now

- title: Honors and Awards
  type: time_table
  contents:
    - year: 1921
      items:
        - Nobel Prize in Physics
"""

PROJECT_1 = """
    ---
    layout: page
    title: project 1
    description: with background image
    img: assets/img/12.png
    importance: 1
    category: work
    related_publications: true
    ---

    Every project has a beautiful feature showcase page.

    {% include figure.liquid path="assets/img/1.jpg" title="example image" class="img-fluid rounded z-depth-1" %}
"""

PROJECT_2 = """
    ---
    layout: page
    title: project 2
    description: a project that redirects to another website
    img: assets/img/7.jpg
    redirect: https://unsplash.com
    importance: 2
    category: fun
    ---
"""

NOTEBOOK = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Plots in a notebook\n", "Text"]},
                      {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
                       "source": ["print('hi')"]}],
            "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 4}


def alfolio_site(root):
    return write_site(root, {
        "_config.yml": CONFIG,
        "_pages/about.md": ABOUT,
        "_pages/teaching.md": """
            ---
            layout: page
            permalink: /teaching/
            title: teaching
            description: Materials for courses you taught.
            nav: true
            nav_order: 6
            ---

            For now, this page is assumed to be a static description of your courses.
        """,
        "_pages/publications.md": """
            ---
            layout: page
            permalink: /publications/
            title: publications
            nav: true
            ---
            <div class="publications">
            {% bibliography %}
            </div>
        """,
        "_pages/cv.md": "---\nlayout: cv\npermalink: /cv/\ntitle: cv\ncv_pdf: example_pdf.pdf\n---\n",
        "_pages/blog.md": "---\nlayout: default\npermalink: /blog/\ntitle: blog\n---\n{% for post in paginator.posts %}{% endfor %}\n",
        "_posts/2015-05-15-images.md": POST_IMAGES,
        "_posts/2015-10-20-math.md": POST_MATH,
        "_posts/2023-07-04-jupyter-notebook.md": POST_NOTEBOOK,
        "_posts/2018-12-22-distill.md": POST_DISTILL,
        "assets/plotly/demo.html": "<html><body>plot</body></html>\n",
        "assets/video/clip.mp4": b"\x00\x00\x00\x18ftypmp42",
        "_news/announcement_1.md": """
            ---
            layout: post
            date: 2015-10-22 15:59:00-0400
            inline: true
            related_posts: false
            ---

            A simple inline announcement with a [link]({{ site.baseurl }}/blog/2015/math/). :sparkles:
        """,
        "_news/announcement_2.md": """
            ---
            layout: post
            title: A long announcement with details
            date: 2015-11-07 16:11:00-0400
            inline: false
            related_posts: false
            ---

            Announcements and news can be much longer than just quick inline posts.
        """,
        "_news/announcement_3.md": "---\nlayout: post\ndate: 2016-01-15 07:59:00-0400\ninline: true\n---\n\nA simple inline announcement.\n",
        "_projects/1_project.md": PROJECT_1,
        "_projects/2_project.md": PROJECT_2,
        "_bibliography/papers.bib": BIB,
        "assets/bibliography/2018-12-22-distill.bib": DISTILL_BIB,
        "assets/img/publication_preview/wave-mechanics.gif": GIF,
        "_data/cv.yml": CV,
        "_data/socials.yml": """
            # the socials will be displayed in the order they are defined here
            email: ada@example.com # your email address
            inspirehep_id: 1010907 # Inspire HEP author ID
            orcid_id: 0000-0002-1825-0097
            rss_icon: true # set to true to show the RSS icon
            scholar_userid: qc6CJjYAAAAJ # your Google Scholar ID
            lattes_id: 123456
            custom_social: # can be any name here other than the ones already defined above
              logo: https://www.alberteinstein.com/favicon.png
              title: Custom Social
              url: https://www.alberteinstein.com/
        """,
        "_includes/figure.liquid": "<figure>{{ include.path }}</figure>\n",
        "assets/img/prof_pic.jpg": JPEG,
        "assets/img/1.jpg": JPEG,
        "assets/img/7.jpg": JPEG,
        "assets/img/9.jpg": JPEG,
        "assets/img/12.png": PNG,
        "assets/pdf/statement.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        "assets/css/main.scss": "---\n---\n@import 'main';\n",
        "assets/js/common.js": "$(document).ready(function() {});\n",
        "assets/jupyter/blog.ipynb": json.dumps(NOTEBOOK),
        "Gemfile": "source 'https://rubygems.org'\n",
        "README.md": "# al-folio\n\nA simple, clean, and responsive Jekyll theme for academics.\n",
    })


@pytest.fixture
def imported(tmp_path):
    source = alfolio_site(tmp_path / "src")
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    report = import_site(source, tmp_path / "new")
    after = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    assert before == after                                # the source is never modified
    return tmp_path / "new", report


def test_detects_al_folio(tmp_path):
    assert detect(alfolio_site(tmp_path / "src")) == "al-folio"


def test_imported_site_builds_strict_and_every_link_resolves(imported, tmp_path):
    site, report = imported
    assert report.build == []
    out = build_strict(site, tmp_path / "out")
    assert broken_links(out, "/portfolio/") == []
    assert (out / "blog/images/index.html").is_file()
    assert (out / "blog/math/index.html").is_file()
    assert (out / "blog/jupyter-notebook/index.html").is_file()
    assert (out / "plotly/demo.html").is_file() and (out / "video/clip.mp4").is_file()
    assert 'src="/portfolio/plotly/demo.html"' in (out / "blog/distill/index.html").read_text()
    assert (out / "img/9.jpg").read_bytes() == JPEG
    assert (out / "pdf/statement.pdf").is_file()
    assert (out / "teaching/index.html").is_file()
    assert (out / "project/1-project/index.html").is_file()
    home = (out / "index.html").read_text()
    assert "A simple inline announcement" in home
    images = (out / "blog/images/index.html").read_text()
    assert 'src="/portfolio/img/9.jpg"' in images
    assert '<figcaption>A &quot;quoted&quot; caption with Ünïcode</figcaption>' in images
    assert 'href="/portfolio/blog/math/"' in images


def test_configuration_and_profile(imported):
    site, report = imported
    config = yaml.safe_load((site / "mlfolio.yml").read_text())
    assert config["url"] == "https://ada.github.io/portfolio"
    assert config["title"] == "Ada Byron Lovelace"
    assert config["description"].startswith("A simple, whitespace theme for academics.")
    if COMMENTS:                        # mlfolio with comments and analytics (issue 13): they are carried over
        assert config["comments"] == {"provider": "giscus", "repo": "ada/ada.github.io", "repo_id": "R_kgDOExample",
                                      "category": "Comments", "category_id": "DIC_kwDOExample4CdZ"}
        assert config["analytics"] == {"provider": "google", "measurement_id": "G-XXXXXXX"}
    profile = yaml.safe_load((site / "profile.yml").read_text())
    assert profile["name"] == "Ada Byron Lovelace"
    assert profile["avatar"] == "img/prof_pic.jpg"
    assert profile["email"] == "ada@example.com"
    assert profile["headline"] == "Affiliations. Address. Contacts. Motto. Etc."
    assert profile["location"] == "555 your office number · 123 your address street · Your City, State 12345"
    assert profile["links"] == {"github": "https://github.com/ada-lovelace",
                                "scholar": "https://scholar.google.com/citations?user=qc6CJjYAAAAJ",
                                "inspirehep": "https://inspirehep.net/authors/1010907",
                                "orcid": "https://orcid.org/0000-0002-1825-0097",
                                "custom_social": "https://www.alberteinstein.com/"}
    assert "[research statement](/pdf/statement.pdf)" in profile["bio"]
    assert "[post on math](/blog/math/)" in profile["bio"]
    assert [e["degree"] for e in profile["education"]] == ["PhD"]
    assert profile["education"][0]["description"] == "- Description 1.\n- Description 3.\n  - Sub-description 1."
    assert [(e["role"], e["start"], e.get("end")) for e in profile["experience"]] == [
        ("Professor of Theoretical Physics", "1933", "1955"), ("Director", "1917", None)]
    assert profile["skills"] == {"Languages": ["English", "French"]}
    assert profile["awards"] == [{"title": "Nobel Prize in Physics", "date": "1921"}]   # "Honors and Awards"
    assert [n["text"] for n in profile["news"]] == [
        "A simple inline announcement.", "A long announcement with details",
        "A simple inline announcement with a [link](/blog/math/). :sparkles:"]
    assert [p["title"] for p in profile["projects"]] == ["project 1", "project 2"]
    assert profile["projects"][0] == {"title": "project 1", "description": "with background image",
                                      "url": "pages/project/1-project.md", "tags": ["work"], "image": "img/12.png"}
    assert profile["projects"][1]["url"] == "https://unsplash.com"


def test_posts_front_matter_and_bodies(imported):
    site, _ = imported
    images = (site / "posts/2015-05-15-images.md").read_text()
    meta = yaml.safe_load(images.split("---\n")[1])
    assert meta == {"title": "a post with images", "date": __import__("datetime").date(2015, 5, 15),
                    "tags": ["formatting", "images", "sample-posts"],
                    "summary": "this is what included images could look like", "image": "img/9.jpg",
                    **({} if COMMENTS else {"extra": {"comments": True}})}
    math_meta = yaml.safe_load((site / "posts/2015-10-20-math.md").read_text().split("---\n")[1])
    assert math_meta.get("comments", True) is not COMMENTS           # al-folio: comments only where asked
    assert '![A "quoted" caption with Ünïcode](/img/9.jpg "A \\"quoted\\" caption with Ünïcode")' in images
    assert "![example image](/img/7.jpg \"example image\")" in images
    assert "{%" not in images and "{{" not in images and "{:" not in images
    assert "[the math post](2015-10-20-math.md)" in images
    assert "[old address of it](2015-10-20-math.md)" in images
    assert "[my CV](../pages/teaching.md)" in images
    math = (site / "posts/2015-10-20-math.md").read_text()
    assert "```python linenos\ndef f(x):\n    return {\"a\": x}  # a dict\n```" in math
    assert "Liquid shown literally: {{ site.title }} and {% if x %}" in math
    assert "Cite me [@einstein1950meaning]." in math
    assert "{:toc}" not in math and "replaced by the table of contents" not in math
    distill = (site / "posts/2021-05-22-distill.md").read_text()
    assert "draft" not in distill and "bibliography: /bibliography/2018-12-22-distill.bib" in distill
    assert "@article{gregor2015draw," in (site / "bibliography/2018-12-22-distill.bib").read_text()
    assert "like this: [@gregor2015draw] (mercier2011humans)." in distill        # no entry: kept as text
    assert "generated.[^d1]" in distill and "[^d1]: This will become a hoverable footnote." in distill
    assert "````markdown\n```c++\ncode code code\n```\n{: .not-an-attribute-list-in-code}\n````" in distill
    assert '<iframe src="/portfolio/plotly/demo.html"' in distill
    assert "[▶ clip.mp4](/video/clip.mp4)" in distill
    assert "[▶ jNQXAC9IVRw](https://www.youtube.com/embed/jNQXAC9IVRw)" in distill
    assert "<details><summary>Click here to know more</summary>" in distill
    notebook_post = (site / "posts/2023-07-04-jupyter-notebook.md").read_text()
    assert "```vega-lite" in notebook_post and "jupyter_notebook" not in notebook_post


def test_publications_notebook_and_theme_files(imported):
    site, report = imported
    bib = (site / "publications.bib").read_text()
    assert "Schr{\\\"o}dinger" in bib and "Ærøskøbing" in bib and "@string{aps" in bib
    assert report.counts["publications"] == 3
    nb = json.loads((site / "posts/2023-07-04-blog.ipynb").read_text())
    assert nb["metadata"]["mlfolio"] == {"title": "Plots in a notebook", "date": "2023-07-04"}
    assert not (site / "static/css").exists() and not (site / "static/js").exists()
    assert not (site / "pages/publications.md").exists() and not (site / "pages/cv.md").exists()


def test_report_counts_and_lines(imported):
    site, report = imported
    assert {k: report.counts[k] for k in ("posts", "pages", "images", "publications", "news", "projects",
                                          "notebooks")} == {
        "posts": 4, "pages": 2, "images": 6, "publications": 3, "news": 3, "projects": 2, "notebooks": 1}
    text = report.text("src", "new")
    lines = text.splitlines()
    assert lines[0] == "Imported the al-folio site src into new:"
    assert "  posts         4" in lines
    assert "  _posts/2015-05-15-images.md:31: kramdown attribute list '{: .text-justify}' removed — style the " \
           "element from your theme's CSS, or write the element as HTML" in lines
    assert not any("linenos" in line for line in lines)           # kept: mlfolio's code blocks number lines too
    assert any(line.startswith("  _posts/2023-07-04-jupyter-notebook.md:14: embedded notebook blog.ipynb removed")
               for line in lines)
    assert any(line.startswith("  _posts/2023-07-04-jupyter-notebook.md:29: ```chartjs block shown as code")
               for line in lines)
    assert not any("Honors and Awards" in line for line in lines)
    assert any("'lattes_id' not carried over" in line for line in lines)
    if not COMMENTS:
        assert any("'google_analytics' not carried over" in line for line in lines)
        assert any("'giscus' not carried over" in line for line in lines)
    assert "  _bibliography/papers.bib:11: html 'relativity.html' is no file of the site — left out; give an " \
           "https:// address" in lines
    assert "  _posts/2018-12-22-distill.md:19: citation 'mercier2011humans' kept as text: no entry has this key — " \
           "add the entry to publications.bib, then write [@mercier2011humans]" in lines
    assert lines[lines.index("Made by mlfolio from the imported data:") + 1:][:3] == [
        "  publications.my_names in mlfolio.yml (Ada Lovelace, A. Lovelace, from scholar: in _config.yml): your "
        "name is marked in author lists",
        "  the CV page (/cv/) from profile.yml's experience, education and skills, in place of _pages/cv.md",
        "  the publications page (/publications/) from publications.bib, in place of _pages/publications.md"]
    assert lines[-1] == "It builds with --strict. Next: mlfolio serve new"


def test_command_line(tmp_path, capsys):
    source = alfolio_site(tmp_path / "src")
    assert main(["import", str(source), str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert "Imported the al-folio site" in out and "It builds with --strict" in out
    assert main(["import", str(source), str(tmp_path / "new")]) == 1            # not empty now
    assert "folder is not empty" in capsys.readouterr().err
    assert main(["import", str(source), str(tmp_path / "new"), "--force"]) == 0


RESUME = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {"name": "Ada Lovelace", "label": "Mathematician", "image": "assets/img/prof_pic.jpg",
               "email": "ada@example.com", "phone": "(912) 555-4321",
               "profiles": [{"network": "Twitter", "username": "ada", "url": "https://x.com/ada"}]},
    "work": [{"name": "Institute for Advanced Study", "position": "Professor of Theoretical Physics",
              "url": "https://www.ias.edu", "startDate": "1933-01-01", "endDate": "1955-01-01",
              "summary": "Teaching at Palmer Physical Laboratory.", "highlights": ["Unified field theory"]}],
    "education": [{"institution": "University of Zurich", "area": "Physics", "studyType": "PhD",
                   "startDate": "1905-01-01", "endDate": "1905-12-31", "score": "4.0", "courses": ["Relativity"]}],
    "awards": [{"title": "Nobel Prize in Physics", "date": "1921-11-01", "awarder": "Royal Swedish Academy",
                "summary": "For the photoelectric effect."}],
    "skills": [{"name": "Physics", "level": "Master", "keywords": ["Relativity", "Quantum"]}],
    "languages": [{"language": "German", "fluency": "Native speaker"}],
    "interests": [{"name": "Violin", "keywords": ["Mozart"]}],
}


def test_cv_from_resume_json(tmp_path):
    """al-folio since v0.13 keeps the CV in assets/json/resume.json; read as 'mlfolio import jsonresume' reads it."""
    source = alfolio_site(tmp_path / "src")
    (source / "_data/cv.yml").unlink()
    (source / "assets/json").mkdir()
    (source / "assets/json/resume.json").write_text(json.dumps(RESUME, indent=2))
    report = import_site(source, tmp_path / "new")
    assert report.build == []
    profile = yaml.safe_load((tmp_path / "new/profile.yml").read_text())
    assert profile["name"] == "Ada Byron Lovelace" and profile["avatar"] == "img/prof_pic.jpg"
    assert [(e["role"], e["organisation"]) for e in profile["experience"]] == [
        ("Professor of Theoretical Physics", "Institute for Advanced Study")]
    assert profile["education"][0]["degree"] == "PhD Physics"
    assert profile["awards"][0]["title"] == "Nobel Prize in Physics"
    assert profile["skills"] == {"Physics": ["Relativity", "Quantum"]}
    assert [p["title"] for p in profile["projects"]] == ["project 1", "project 2"]      # from _projects/
    notes = [str(n) for n in report.notes if n.path == "assets/json/resume.json"]
    assert any("'basics.phone' has no place in profile.yml" in n and n.startswith("assets/json/resume.json:")
               for n in notes)
    assert any("'interests[0].name' has no place" in n for n in notes)

