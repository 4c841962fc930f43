"""An academicpages site (a Jekyll site with _publications, _talks, _teaching and _portfolio) and a plain
Jekyll blog imported, built with --strict, and checked."""
from __future__ import annotations

import datetime
import re

import yaml

from conftest import write_site
from import_checks import PNG, broken_links, build_strict
from mlfolio.importers import detect, import_site

ACADEMICPAGES = {
    "_config.yml": """
        # Welcome to Jekyll!
        locale                   : "en-US"
        title                    : "Your Name / Site Title"
        title_separator          : "-"
        name                     : &name "Your Name"
        description              : &description "personal description"
        url                      : https://academicpages.github.io # the base hostname & protocol for your site
        baseurl                  : "" # the subpath of your site, e.g. "/blog"
        repository               : "academicpages/academicpages.github.io"

        # Site Author - The following code is used to create the author bio on the sidebar
        author:
          avatar           : "profile.png"
          name             : "Your Sidebar Name"
          bio              : "Short biography for the left-hand sidebar"
          location         : "Earth"
          employer         : "Red Brick University"
          email            : "none@example.org"
          github           : "academicpages"
          googlescholar    : "https://scholar.google.com/citations?user=PS_CX0AAAAJ"
          orcid            : "https://orcid.org/yourorcidurl"
          twitter          : "academicpages"
          uri              : "http://academicpages.github.io"

        defaults:
          # _posts
          - scope:
              path: ""
              type: posts
            values:
              layout: single
              author_profile: true
              read_time: true
              comments: false
              share: true
              related: true
              permalink: /:categories/:year/:month/:day/:title/
          - scope:
              path: ""
              type: publications
            values:
              layout: single
              author_profile: true

        collections:
          teaching:
            output: true
            permalink: /:collection/:path/
          publications:
            output: true
            permalink: /:collection/:path/
          portfolio:
            output: true
            permalink: /:collection/:path/
          talks:
            output: true
            permalink: /:collection/:path/

        paginate: 5 # amount of posts to show
        paginate_path: /page:num/
    """,
    "_pages/about.md": """
        ---
        permalink: /
        title: "Academic Pages is a ready-to-fork GitHub Pages template for academic personal websites"
        author_profile: true
        redirect_from:
          - /about/
          - /about.html
        ---

        This is the front page of a website that is powered by the [Academic Pages template](https://github.com/academicpages/academicpages.github.io).

        A data-driven personal website
        ======
        Like many other Jekyll-based GitHub Pages templates, Academic Pages makes you separate the website's
        content from its form. My [CV](/files/cv.pdf) and a [blog post](/posts/2012/08/blog-post-1/).
    """,
    "_pages/talks.html": """
        ---
        layout: archive
        title: "Talks and presentations"
        permalink: /talks/
        author_profile: true
        ---

        {% if site.talkmap_link == true %}
        <p style="text-decoration:underline;"><a href="/talkmap.html">See a map of all the places I've given a talk!</a></p>
        {% endif %}

        {% for post in site.talks reversed %}
          {% include archive-single-talk.html %}
        {% endfor %}
    """,
    "_pages/year-archive.html": "---\ntitle: \"Blog posts\"\npermalink: /year-archive/\nlayout: archive\n---\n{% for post in site.posts %}{% endfor %}\n",
    "_pages/markdown.md": """
        ---
        permalink: /markdown/
        title: "Markdown"
        author_profile: true
        ---

        ## Helpful files and directories
        * Upload files (like PDFs) in `/files/`, see [this one]({{ base_path }}/files/paper1.pdf).
        * Images go in `/images/`: ![editing](/images/editing-talk.png)
        {% include gallery caption="This is a sample gallery with **Markdown support**." %}
    """,
    "_posts/2012-08-14-blog-post-1.md": """
        ---
        title: 'Blog Post number 1'
        date: 2012-08-14
        permalink: /posts/2012/08/blog-post-1/
        tags:
          - cool posts
          - category1
          - category2
        ---

        This is a sample blog post. Lorem ipsum I can't remember the rest of lorem ipsum and don't have an internet
        connection right now. Testing testing testing this blog post. Blog posts are cool.

        Headings are cool
        ======

        You can have many headings
        ======

        Aren't headings cool?
        ------
        {% include base_path %}
    """,
    "_posts/2013-08-14-blog-post-2.md": """
        ---
        title: 'Blog Post number 2'
        date: 2013-08-14
        permalink: /posts/2013/08/blog-post-2/
        tags:
          - cool posts
        ---

        Back to [post 1](/posts/2012/08/blog-post-1/) and to [the first one]({% post_url 2012-08-14-blog-post-1 %}).
    """,
    "_publications/2009-10-01-paper-title-number-1.md": """
        ---
        title: "Paper Title Number 1"
        collection: publications
        category: manuscripts
        permalink: /publication/2009-10-01-paper-title-number-1
        excerpt: 'This paper is about the number 1. The number 2 is left for future work.'
        date: 2009-10-01
        venue: 'Journal 1'
        slidesurl: 'http://academicpages.github.io/files/slides1.pdf'
        paperurl: 'http://academicpages.github.io/files/paper1.pdf'
        bibtexurl: 'http://academicpages.github.io/files/bibtex1.bib'
        citation: 'Your Name, You. (2009). &quot;Paper Title Number 1.&quot; <i>Journal 1</i>. 1(1).'
        ---
        The contents above will be part of a list of publications, if the user clicks the link for the publication than the contents of section will be rendered as a full page, allowing you to provide more information about the paper for the reader. When publications are displayed as a single page, the contents of the above "citation" field will automatically be included below this section in a smaller font.
    """,
    "_publications/2015-10-01-paper-title-number-3.md": """
        ---
        title: "Paper Title Number 3 & Ünïcödé {with braces"
        collection: publications
        category: conferences
        permalink: /publication/2015-10-01-paper-title-number-3
        date: 2015-10-01
        venue: 'Journal 1'
        paperurl: 'http://academicpages.github.io/files/paper3.pdf'
        citation: 'Your Name, You. and Other, Al. (2015). &quot;Paper Title Number 3.&quot; <i>Journal 1</i>. 1(3).'
        ---
    """,
    "_talks/2012-03-01-talk-1.md": """
        ---
        title: "Talk 1 on Relevant Topic in Your Field"
        collection: talks
        type: "Talk"
        permalink: /talks/2012-03-01-talk-1
        venue: "UC San Francisco, Department of Testing"
        date: 2012-03-01
        location: "San Francisco, California"
        ---

        [More information here](http://exampleurl.com)

        This is a description of your talk, which is a markdown file that can be all markdown-ified like any other post. Yay markdown!
    """,
    "_talks/2014-02-01-talk-2.md": """
        ---
        title: "Tutorial 1 on Relevant Topic in Your Field"
        collection: talks
        type: "Tutorial"
        permalink: /talks/2013-03-01-tutorial-1
        venue: "UC-Berkeley Institute for Testing Science"
        date: 2013-03-01
        location: "Berkeley CA, USA"
        ---
    """,
    "_teaching/2014-spring-teaching-1.md": """
        ---
        title: "Teaching experience 1"
        collection: teaching
        type: "Undergraduate course"
        permalink: /teaching/2014-spring-teaching-1
        venue: "University 1, Department"
        date: 2014-01-01
        location: "City, Country"
        ---

        This is a description of a teaching experience. You can use markdown like any other post.

        Heading 1
        ======

        * Example item 1
    """,
    "_portfolio/portfolio-1.md": """
        ---
        title: "Portfolio item number 1"
        excerpt: "Short description of portfolio item number 1<br/><img src='/images/500x300.png'>"
        collection: portfolio
        ---

        This is an item in your portfolio. It can be have images or nice text. If you name the file .md, it will be
        parsed as markdown. If you name the file .html, it will be parsed as HTML.
    """,
    "images/profile.png": PNG,
    "images/500x300.png": PNG,
    "images/editing-talk.png": PNG,
    "files/paper1.pdf": b"%PDF-1.4\n",
    "files/cv.pdf": b"%PDF-1.4\n",
    "_includes/author-profile.html": "{% include base_path %}\n",
    "_sass/_page.scss": ".page { }\n",
}


def test_academicpages(tmp_path):
    source = write_site(tmp_path / "src", ACADEMICPAGES)
    assert detect(source) == "jekyll"
    report = import_site(source, tmp_path / "new")
    assert report.build == []
    site = tmp_path / "new"
    out = build_strict(site, tmp_path / "out")
    assert broken_links(out) == []

    assert {k: report.counts[k] for k in ("posts", "pages", "images", "publications", "talks", "teaching",
                                          "projects")} == {"posts": 2, "pages": 2, "images": 3, "publications": 2,
                                                           "talks": 2, "teaching": 1, "projects": 1}
    config = yaml.safe_load((site / "mlfolio.yml").read_text())
    assert config == {"title": "Your Name / Site Title", "url": "https://academicpages.github.io",
                      "description": "personal description", "language": "en-US", "posts_per_page": 5}
    profile = yaml.safe_load((site / "profile.yml").read_text())
    assert profile["name"] == "Your Sidebar Name"
    assert profile["avatar"] == "images/profile.png"
    assert profile["links"] == {"github": "https://github.com/academicpages",
                                "scholar": "https://scholar.google.com/citations?user=PS_CX0AAAAJ",
                                "orcid": "https://orcid.org/yourorcidurl", "x": "https://x.com/academicpages",
                                "website": "http://academicpages.github.io"}
    assert "My [CV](/files/cv.pdf) and a [blog post](/blog/blog-post-1/)." in profile["bio"]
    assert profile["projects"] == [{"title": "Portfolio item number 1",
                                    "description": "Short description of portfolio item number 1",
                                    "url": "pages/project/portfolio-1.md"}]

    post2 = (site / "posts/2013-08-14-blog-post-2.md").read_text()
    assert "Back to [post 1](2012-08-14-blog-post-1.md) and to [the first one](2012-08-14-blog-post-1.md)." in post2
    assert "tags:\n- cool posts\n" in post2
    bib = (site / "publications.bib").read_text()
    entries = re.findall(r"@(\w+)\{(\w+),", bib)
    assert entries == [("article", "yourname2009paper"), ("inproceedings", "yourname2015paper")]
    assert "author = {Your Name, You. and Other, Al.}" in bib
    assert "title = {Paper Title Number 3 \\& Ünïcödé with braces}" in bib
    assert "pdf = {http://academicpages.github.io/files/paper1.pdf}" in bib

    assert [t["title"] for t in profile["talks"]] == ["Tutorial 1 on Relevant Topic in Your Field",
                                                      "Talk 1 on Relevant Topic in Your Field"]  # newest first
    assert profile["talks"][1] == {
        "title": "Talk 1 on Relevant Topic in Your Field", "date": datetime.date(2012, 3, 1),
        "event": "UC San Francisco, Department of Testing", "kind": "Talk", "location": "San Francisco, California",
        "description": "[More information here](http://exampleurl.com)\n\nThis is a description of your talk, which "
                       "is a markdown file that can be all markdown-ified like any other post. Yay markdown!"}
    assert profile["teaching"][0]["start"] == "2014-01" and profile["teaching"][0]["organisation"] == \
        "University 1, Department"
    assert profile["teaching"][0]["description"].startswith("Undergraduate course\n\nThis is a description")
    assert not (site / "pages/talks.md").exists()
    assert (out / "talks/index.html").is_file() and (out / "teaching/index.html").is_file()
    assert (out / "markdown/index.html").is_file()
    assert (out / "images/editing-talk.png").is_file()
    text = report.text("src", "new")
    assert "  _pages/markdown.md:10: '{% include gallery %}' removed (a theme include mlfolio does not have) — " \
           "write what it showed as Markdown, or put HTML for it in a template override" in text.splitlines()
    assert "base_path" not in text
    assert "[this one](/files/paper1.pdf)" in (site / "pages/markdown.md").read_text()


def test_plain_jekyll_blog_with_default_permalinks_and_drafts(tmp_path):
    source = write_site(tmp_path / "src", {
        "_config.yml": "title: Jekyll blog\nurl: https://blog.example.org\nauthor: Grace Hopper\n",
        "_posts/2020-01-02-welcome-to-jekyll.markdown": """
            ---
            layout: post
            title:  "Welcome to Jekyll!"
            date:   2020-01-02 10:00:00 +0100
            categories: jekyll update
            ---
            Check out the [Jekyll docs][jekyll-docs]. Next: [second post](/2020/02/03/second.html).

            [jekyll-docs]: https://jekyllrb.com/docs/home
        """,
        "_posts/2020-02-03-second.md": "---\ntitle: Second\nbibliography: refs.bib\n---\nBack to [the first]({% link "
                                       "_posts/2020-01-02-welcome-to-jekyll.markdown %}), as {% cite knuth84 %} says.\n",
        "_drafts/unfinished.md": "---\ntitle: Unfinished\n---\nNot yet.\n",
        "_posts/2020-03-01-hidden.md": "---\ntitle: Hidden\npublished: false\n---\nNot shown.\n",
        "index.md": "---\nlayout: home\n---\n",
        "about.md": "---\nlayout: page\ntitle: About\npermalink: /about/\n---\nI wrote COBOL.\n",
        "README.md": "# my blog\n",
    })
    assert detect(source) == "jekyll"
    report = import_site(source, tmp_path / "new")
    assert report.build == []
    site = tmp_path / "new"
    out = build_strict(site, tmp_path / "out")
    assert broken_links(out) == []
    first = (site / "posts/2020-01-02-welcome-to-jekyll.md").read_text()
    assert "[second post](2020-02-03-second.md)" in first
    assert "tags:\n- jekyll\n- update\n" in first
    second = (site / "posts/2020-02-03-second.md").read_text()
    assert "[the first](2020-01-02-welcome-to-jekyll.md), as (knuth84) says." in second and "refs.bib" not in second
    notes = [str(n) for n in report.notes if n.path == "_posts/2020-02-03-second.md"]
    assert notes == ["_posts/2020-02-03-second.md: bibliography 'refs.bib' not found; its citations stay text — add "
                     "the .bib file beside the post and set 'bibliography:' to its name",
                     "_posts/2020-02-03-second.md:5: citation 'knuth84' kept as text: no entry has this key — add "
                     "the entry to publications.bib, then write [@knuth84]"]
    drafts = list((site / "posts").glob("*-unfinished.md"))
    assert len(drafts) == 1 and "draft: true" in drafts[0].read_text()
    assert "draft: true" in (site / "posts/2020-03-01-hidden.md").read_text()
    profile = yaml.safe_load((site / "profile.yml").read_text())
    assert profile == {"name": "Grace Hopper", "bio": "I wrote COBOL."}
    assert report.counts["posts"] == 4
