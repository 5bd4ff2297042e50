"""Content import at scale: a generated WordPress export (WXR) of 10,000 posts.

A fresh database (SQLite in a temporary directory, or PostgreSQL at BENCH_PG_URL when
BENCH_DATABASE=postgres) is migrated and given a front page; then one process (as an operator's
`manage.py import_wordpress` would be) runs, in turn, a dry run, the import, and the same import
again. The posts mix Gutenberg and classic bodies (paragraphs, headings, a list, a quote, a
table, an unknown block), 8 categories, 40 tags, 5 authors, 3 comments on every tenth post, and a
featured picture on every twentieth, taken from a generated uploads folder of 25 pictures (so
de-duplication is exercised; nothing is downloaded).

Reported: seconds, CPU seconds of the importing process (what the import itself costs, whatever
else the machine runs) and posts per second for each pass, the load average after it, the
process's peak RSS (getrusage of the child) and the Python heap's peak during the import
(tracemalloc), the WXR file's size, pages and redirects in the database after each pass.
Nothing asserts on the figures.

Run: `.venv/bin/python bench/import_bench.py` (prints JSON). Knobs: BENCH_POSTS (10000),
BENCH_DATABASE (sqlite|postgres), BENCH_PG_URL, BENCH_HEAP=1 to trace the Python heap (tracemalloc
slows the import down, so the timed run leaves it off and reports the process's peak RSS).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the repository root must be there instead
# (as bench/run.py does) so `bench.*` imports as a package.
sys.path[:] = [str(ROOT)] + [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]

from bench.scratch import passes, scratch_site  # noqa: E402

RUN = """
import json, os, time, tracemalloc
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site
from masthead.importers.records import ImportOptions
from masthead.importers.report import Report
from masthead.importers.wordpress import import_wordpress
from masthead.news.models import HomePage
root = Page.get_first_root_node()
for child in root.get_children():
    Site.objects.filter(root_page=child).delete()
    child.delete()
root = Page.get_first_root_node()
home = HomePage(title="Bench Ledger", slug="home")
root.add_child(instance=home)
home.save_revision().publish()
Site.objects.update_or_create(is_default_site=True, defaults={{"hostname": "localhost", "root_page": home}})
def rows():
    return {{"pages": Page.objects.count(), "redirects": Redirect.objects.count()}}
out = {{}}
for name, dry in (("dry_run", True), ("import", False), ("second_run", False)):
    report = Report(dry_run=dry)
    options = ImportOptions(dry_run=dry, media_dir={media!r}, download=False)
    if name == "import" and {heap!r}:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    import_wordpress({path!r}, options=options, report=report)
    seconds = time.perf_counter() - started
    entry = {{"seconds": round(seconds, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
              "line": report.line(), "rows_after": rows(),
              "load_average_after": [round(n, 1) for n in os.getloadavg()]}}
    if name == "import" and {heap!r}:
        entry["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    out[name] = entry
print("RESULT" + json.dumps(out))
"""

GUTENBERG = """<!-- wp:paragraph -->
<p>Post {i} opens with <strong>the port</strong> and <a href="https://example.org/{i}">a link</a>.</p>
<!-- /wp:paragraph -->
<!-- wp:heading -->
<h2>What happened on day {i}</h2>
<!-- /wp:heading -->
<!-- wp:list -->
<ul><li>First point</li><li>Second point</li></ul>
<!-- /wp:list -->
<!-- wp:quote -->
<blockquote class="wp-block-quote"><p>A quote from a councillor.</p><cite>A councillor</cite></blockquote>
<!-- /wp:quote -->
<!-- wp:table -->
<figure class="wp-block-table"><table><tbody><tr><td>2023</td><td>41</td></tr></tbody></table></figure>
<!-- /wp:table -->
<!-- wp:cover -->
<div class="wp-block-cover"><p>A cover block's text.</p></div>
<!-- /wp:cover -->
<!-- wp:paragraph -->
<p>And a closing paragraph for post {i}.</p>
<!-- /wp:paragraph -->"""

CLASSIC = """Post {i} in the classic editor, first paragraph.

Second paragraph with <em>emphasis</em>.
<h3>A heading</h3>
<ul><li>one</li><li>two</li></ul>
Last paragraph of post {i}."""


def _item(i: int) -> str:
    body = GUTENBERG if i % 2 else CLASSIC
    cat = f"section-{i % 8}"
    tags = "".join(
        f'<category domain="post_tag" nicename="tag-{t}"><![CDATA[Tag {t}]]></category>'
        for t in (i % 40, (i * 7) % 40)
    )
    meta = ""
    if i % 20 == 0:
        meta = (
            "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            f"<wp:meta_value>{900000 + i % 25}</wp:meta_value></wp:postmeta>"
        )
    comments = "".join(
        f"<wp:comment><wp:comment_id>{i * 10 + c}</wp:comment_id><wp:comment_content>Hi</wp:comment_content>"
        "</wp:comment>"
        for c in range(3 if i % 10 == 0 else 0)
    )
    return f"""<item>
<title>Bench story {i}</title>
<link>https://old.example/{2000 + i % 20}/01/01/bench-story-{i}/</link>
<dc:creator><![CDATA[author{i % 5}]]></dc:creator>
<content:encoded><![CDATA[{body.format(i=i)}]]></content:encoded>
<excerpt:encoded><![CDATA[{"Standfirst of story " + str(i) if i % 3 == 0 else ""}]]></excerpt:encoded>
<wp:post_id>{i + 1}</wp:post_id>
<wp:post_date_gmt>{2000 + i % 20}-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>bench-story-{i}</wp:post_name>
<wp:status>{"draft" if i % 50 == 0 else "publish"}</wp:status>
<wp:post_type>post</wp:post_type>
<wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="{cat}"><![CDATA[Section {i % 8}]]></category>
{tags}{meta}{comments}
</item>
"""


def generate(path: Path, media: Path, count: int) -> None:
    from PIL import Image

    media.mkdir(parents=True, exist_ok=True)
    attachments = []
    for n in range(25):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 800), (n * 9, 100, 200 - n * 7)).save(buffer, format="JPEG")
        (media / f"picture-{n}.jpg").write_bytes(buffer.getvalue())
        attachments.append(
            f"<item><title>picture {n}</title><wp:post_id>{900000 + n}</wp:post_id>"
            f"<wp:post_type>attachment</wp:post_type>"
            f"<wp:attachment_url>https://old.example/wp-content/uploads/picture-{n}.jpg</wp:attachment_url></item>\n"
        )
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Old site</title><wp:wxr_version>1.2</wp:wxr_version>"
            "<wp:base_blog_url>https://old.example</wp:base_blog_url>\n"
        )
        for a in range(5):
            handle.write(
                f"<wp:author><wp:author_login>author{a}</wp:author_login>"
                f"<wp:author_display_name>{escape(f'Author {a}')}</wp:author_display_name></wp:author>\n"
            )
        for item in range(count):
            handle.write(_item(item))
        handle.writelines(attachments)
        handle.write("</channel></rss>\n")


def run(count: int | None = None) -> dict[str, Any]:
    count = count or int(os.environ.get("BENCH_POSTS", "10000"))
    with scratch_site("importbench") as site:
        export, media = site.tmp / "export.xml", site.tmp / "uploads"
        generate(export, media, count)
        file_mb = round(export.stat().st_size / 2**20, 1)
        heap = os.environ.get("BENCH_HEAP") == "1"
        done = site.run("shell", "-c", RUN.format(path=str(export), media=str(media), heap=heap))
    found = passes(done, count=count, per_second="posts_per_second")
    if found is None:
        return {"posts": count, "error": done.output[-3000:]}
    return {
        "posts": count,
        "database": site.database,
        "file_mb": file_mb,
        "peak_rss_mb": done.peak_rss_mb,
        **found,
    }


def main() -> int:
    result = run()
    print(json.dumps(result, indent=2))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
