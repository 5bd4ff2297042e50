"""The e-mail is cut by the same decision as the web page, for every reader kind × access level ×
sponsorship: the gated canary is in a reader's copy exactly when it is on the page that reader gets.

The meter rule for e-mail (masthead/newsletters/rendering.py, access.services.mailed_article_access):
an e-mail cannot count a read, so a metered article is decided as for a reader with no free
article left. The page is therefore fetched with the allowance used up (registered limit 0), and
the comparison holds the page and the e-mail to that one rule.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from masthead.newsletters.rendering import render_issue
from masthead.sponsored.models import Sponsor
from tests.builders import canary_for, make_article
from tests.newsletters.conftest import KINDS, make_issue, parts, subscribe_all

LEVELS = ("free", "metered", "registered", "subscribers")


def _meter_used_up() -> None:
    from wagtail.models import Site

    from masthead.access.models import MeterSettings

    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.registered_limit = 0
    meter.save()


@pytest.mark.django_db
def test_every_reader_kind_gets_in_the_email_exactly_what_the_page_gives_them(
    pub: Any, readers: dict[str, Any], newsletter: Any
) -> None:
    # given: one article per access level, plain and sponsored, and a reader of every kind
    sponsor = Sponsor.objects.create(name="Acme Power", disclosure="Acme paid for this report.")
    articles = {
        (level, sponsored): make_article(pub, access=level, sponsor=sponsor if sponsored else None)
        for level, sponsored in itertools.product(LEVELS, (False, True))
    }
    subscribe_all(newsletter, readers.values())
    _meter_used_up()
    mismatches, whole_in_mail, cut_in_mail = [], 0, 0
    for (level, sponsored), article in articles.items():
        issue = make_issue(newsletter, article=article)
        canary = canary_for(article.slug)
        teaser = f"Paragraph 1 of story {article.slug.split('-')[1]}"
        for kind, reader in readers.items():
            # when: the reader opens the page, and receives the issue
            client = Client()
            client.force_login(reader)
            page = client.get(article.url)
            assert page.status_code == 200
            on_page = canary in page.content.decode()
            text, html = parts(render_issue(issue, reader))
            # then: the same cut, in both parts of the e-mail
            in_html, in_text = canary in html, canary in text
            if not (on_page == in_html == in_text):
                mismatches.append((kind, level, sponsored, on_page, in_html, in_text))
            assert teaser in html and teaser in text  # the teaser is always there
            if sponsored:
                assert "Acme paid for this report." in html and "Sponsored content" in text
            whole_in_mail += in_html
            cut_in_mail += not in_html
    assert mismatches == []
    # Both outcomes occur: the comparison is not vacuous.
    assert whole_in_mail and cut_in_mail
    assert len(KINDS) * len(articles) == whole_in_mail + cut_in_mail


@pytest.mark.django_db
def test_a_lapsed_reader_gets_the_teaser_and_the_offer_a_subscriber_the_whole_story(
    pub: Any, readers: dict[str, Any], newsletter: Any
) -> None:
    article = make_article(pub, access="subscribers")
    issue = make_issue(newsletter, article=article)
    subscribe_all(newsletter, readers.values())
    _text, lapsed = parts(render_issue(issue, readers["lapsed-subscriber"]))
    _text, subscriber = parts(render_issue(issue, readers["subscriber"]))
    assert canary_for(article.slug) not in lapsed
    assert "Your full access to" in lapsed and "has expired" in lapsed
    assert "Read the whole story on the site" in lapsed
    assert canary_for(article.slug) in subscriber
    _text, expired = parts(render_issue(issue, readers["expired-trial"]))
    assert "Your trial period has expired." in expired and canary_for(article.slug) not in expired


@pytest.mark.django_db
def test_a_metered_article_in_an_email_counts_no_read_and_says_where_the_rest_is(
    pub: Any, readers: dict[str, Any], newsletter: Any
) -> None:
    article = make_article(pub, access="metered")
    issue = make_issue(newsletter, article=article)
    text, html = parts(render_issue(issue, readers["registered"]))
    assert canary_for(article.slug) not in html
    assert "Reading it there counts as one of your free articles." in text
    # Rendering counted nothing: the reader's first page view is still a free read.
    client = Client()
    client.force_login(readers["registered"])
    assert canary_for(article.slug) in client.get(article.url).content.decode()
