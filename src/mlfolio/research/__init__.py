"""The research record: publications from BibTeX files, their page, and the site owner's name in author lists."""
