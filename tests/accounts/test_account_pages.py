"""The reader's account pages (allauth's views, the site's templates): each one in the publication's
layout and words, in English and Japanese, with every input labelled, errors tied to their inputs,
and markup a validator accepts (no block inside <p> or <span>, every element closed where it opened).
The wall's "Register for free" leads to a page that says the same."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from tests.builders import make_article, make_publication, make_reader
from tests.i18n.pages import english_words_in

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 42"


@pytest.fixture
def pub(db: Any) -> Any:
    return make_publication()


def reader(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def link_in(body: str, path: str) -> str:
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+/)", body)
    assert found, body
    return found.group(1)


# Each page as a reader reaches it: (client) -> response.
def signup(client: Client) -> Any:
    return client.get("/accounts/signup/")


def login(client: Client) -> Any:
    return client.get("/accounts/login/")


def reset_request(client: Client) -> Any:
    return client.get("/accounts/password/reset/")


def reset_sent(client: Client) -> Any:
    make_reader("forgetful@example.com", PASSWORD)
    return client.post("/accounts/password/reset/", {"email": "forgetful@example.com"}, follow=True)


def reset_from_key(client: Client) -> Any:
    reset_sent(client)
    return client.get(link_in(mail.outbox[-1].body, "/accounts/password/reset/key/"), follow=True)


def reset_from_used_key(client: Client) -> Any:
    return client.get("/accounts/password/reset/key/1-not-a-real-key/", follow=True)


def reset_done(client: Client) -> Any:
    form = reset_from_key(client)
    new = "another long passphrase 7"
    return client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)


def code_request(client: Client) -> Any:
    return client.get("/accounts/login/code/")


def code_confirm(client: Client) -> Any:
    make_reader("code@example.com", PASSWORD)
    return client.post("/accounts/login/code/", {"email": "code@example.com"}, follow=True)


def register(client: Client) -> Any:
    body = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", body, follow=True)


def confirm_email(client: Client) -> Any:
    register(client)
    return client.get(link_in(mail.outbox[-1].body, "/accounts/confirm-email/"))


def confirm_expired_email(client: Client) -> Any:
    return client.get("/accounts/confirm-email/not-a-real-key/")


def signed_in(client: Client) -> Client:
    client.force_login(make_reader("signed-in@example.com", PASSWORD))
    return client


def password_change(client: Client) -> Any:
    return signed_in(client).get("/accounts/password/change/")


def email_addresses(client: Client) -> Any:
    return signed_in(client).get("/accounts/email/")


def log_out(client: Client) -> Any:
    return signed_in(client).get("/accounts/logout/")


PAGES: dict[str, tuple[Callable[[Client], Any], str, str]] = {
    "sign-up": (signup, "Register for free", "無料で会員登録"),
    "log-in": (login, "Log in", "ログイン"),
    "reset request": (reset_request, "Reset your password", "パスワードの再設定"),
    "reset sent": (reset_sent, "Check your e-mail", "メールをご確認ください"),
    "reset from key": (reset_from_key, "Choose a new password", "新しいパスワードの設定"),
    "reset from a used key": (reset_from_used_key, "This link no longer works", "このリンクは無効です"),
    "reset done": (reset_done, "Your password has been changed", "パスワードを変更しました"),
    "code request": (code_request, "Log in with a code", "コードでログイン"),
    "code confirm": (code_confirm, "Enter your sign-in code", "ログインコードの入力"),
    "verification sent": (register, "Check your e-mail", "メールをご確認ください"),
    "confirm e-mail": (confirm_email, "Confirm your e-mail address", "メールアドレスの確認"),
    "expired e-mail link": (confirm_expired_email, "This link no longer works", "このリンクは無効です"),
    "password change": (password_change, "Change your password", "パスワードの変更"),
    "e-mail addresses": (email_addresses, "Your e-mail address", "メールアドレス"),
    "log out": (log_out, "Log out", "ログアウト"),
}


# ---------- markup checks ----------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCKS = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer",
          "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
          "section", "table", "ul"}  # fmt: skip
# Elements whose content may only be phrasing content: a block inside one is what the Nu checker
# reported on allauth's stock sign-up page (<ul> in <span> in <p>).
PHRASING_ONLY = {"p", "span", "label", "button", "strong", "em", "b", "i", "small"} | {
    f"h{n}" for n in range(1, 7)
}


class NestingChecker(HTMLParser):
    """Every element closed in the element it opened in, and no block inside phrasing-only content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            inside = [parent for parent in self.open if parent in PHRASING_ONLY]
            if inside:
                self.problems.append(f"<{tag}> inside <{inside[-1]}> at line {self.getpos()[0]}")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            current = self.open[-1] if self.open else "nothing"
            self.problems.append(f"</{tag}> closes <{current}> at line {self.getpos()[0]}")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
            return
        self.open.pop()


def markup_problems(html: str) -> list[str]:
    checker = NestingChecker()
    checker.feed(html)
    checker.close()
    return checker.problems + [f"<{tag}> never closed" for tag in checker.open]


def test_the_nesting_check_finds_what_the_nu_checker_found_on_the_stock_sign_up_page() -> None:
    stock = (
        '<p><label for="p">Password:</label><input id="p">'
        '<span class="helptext"><ul><li>8 characters</li></ul></span></p>'
    )
    assert markup_problems(stock) == ["<ul> inside <span> at line 1"]
    assert markup_problems("<div><p>Fine <a href='/'>link</a></p></div>") == []
    assert markup_problems("<div><span>unclosed</div>") == ["</div> closes <span> at line 1"]


def unlabelled_inputs(main: Any) -> list[str]:
    missing = []
    for field in main.select("input:not([type=hidden]), select, textarea"):
        label = main.select_one(f'label[for="{field.get("id")}"]') if field.get("id") else None
        if label is None or not label.get_text(strip=True):
            missing.append(field.get("name", "?"))
    return missing


def label_of(main: Any, field: Any) -> str:
    return main.select_one(f'label[for="{field["id"]}"]').get_text(strip=True)


def sign_up_with(email: str, password: str) -> Any:
    return reader().post("/accounts/signup/", {"email": email, "password1": password, "password2": password})


def described_by(main: Any, field: Any) -> str:
    ids = (field.get("aria-describedby") or "").split()
    return " ".join(main.select_one(f"#{i}").get_text(" ", strip=True) for i in ids)


def open_page(name: str, language: str = "en") -> BeautifulSoup:
    arrive, _, _ = PAGES[name]
    response = arrive(reader(language))
    assert response.status_code == 200, (name, response.status_code)
    html = response.content.decode()
    assert markup_problems(html) == [], name
    return BeautifulSoup(html, "html.parser")


# ---------- the pages ----------


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_in_the_site_layout_and_words(pub: Any, name: str) -> None:
    soup = open_page(name)
    _, heading, _ = PAGES[name]

    # The publication's frame, not allauth's bare page with its "Menu:" list.
    assert soup.select_one("header.masthead .masthead__title").get_text(strip=True) == "The Meridian Ledger"
    assert soup.select_one("footer.site-footer form.language-switcher")
    assert "page--account" in soup.body["class"]
    assert "Menu:" not in soup.get_text()
    main = soup.select_one("main#main")
    assert [h1.get_text(" ", strip=True) for h1 in soup.select("h1")] == [heading]
    assert soup.title.get_text(strip=True) == f"{heading} — The Meridian Ledger"
    # Every input labelled with visible text; placeholders do not stand in for labels.
    assert unlabelled_inputs(main) == []
    assert main.select("[placeholder]") == []
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    stock_words = (
        *("Sign Up", "Sign In", "Sign Out", "Password Reset", "Bad Token", "Request Code"),
        *("Reset My Password", "Change Password", "Email Addresses", "Make Primary", "Add Email"),
    )
    for stock in stock_words:
        assert stock not in main.get_text(" "), stock


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_in_japanese(pub: Any, name: str) -> None:
    soup = open_page(name, language="ja")
    _, english, japanese = PAGES[name]

    assert soup.html["lang"] == "ja"
    assert [h1.get_text(" ", strip=True) for h1 in soup.select("h1")] == [japanese]
    assert soup.title.get_text(strip=True).startswith(f"{japanese} — ")
    assert english not in soup.select_one("main").get_text(" ")
    assert english_words_in(str(soup)) == []
    for label in soup.select("main label"):
        # The reader's own e-mail address is the only Latin text a label may carry.
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\S+@\S+", "", label.get_text())), label


def test_sign_up_fields_in_order_with_the_password_rules_as_a_sentence(pub: Any) -> None:
    main = open_page("sign-up").select_one("main")

    form = main.select_one('form[action="/accounts/signup/"]')
    labels = [label_of(main, field) for field in form.select("input:not([type=hidden])")]
    assert labels == ["E-mail address", "Password", "Password again"]
    password = form.select_one("input[name=password1]")
    help_ = described_by(main, password)
    assert help_.startswith("At least 8 characters.")
    assert main.select_one("#id_password1_helptext").name == "div"
    assert main.select("#id_password1_helptext li") == []
    assert form.select_one("[type=submit]").get_text(strip=True) == "Register"
    assert main.select_one('a[href^="/accounts/login/"]').get_text(strip=True) == "Already registered? Log in"


def test_the_password_rule_on_the_page_is_the_rule_applied(pub: Any) -> None:
    # The help says "at least 8 characters": seven are refused, eight (not common) are taken.
    seven = sign_up_with("a@example.com", "qz7wx5v")
    eight = sign_up_with("b@example.com", "qz7wx5vk")

    assert seven.status_code == 200 and "at least 8 characters" in seven.content.decode()
    assert eight.status_code == 302


def test_sign_up_errors_are_announced_and_tied_to_their_inputs(pub: Any) -> None:
    wrong = {"email": "not an address", "password1": "short", "password2": "other"}
    response = reader().post("/accounts/signup/", wrong)
    html = response.content.decode()
    assert markup_problems(html) == []
    main = BeautifulSoup(html, "html.parser").select_one("main")

    alert = main.select_one("form [role=alert]")
    assert alert.get_text(strip=True) == "Please correct what is marked below."
    email = main.select_one("input[name=email]")
    assert email["aria-invalid"] == "true" and email["value"] == "not an address"
    assert "Enter a valid email address." in described_by(main, email)
    password = main.select_one("input[name=password1]")
    assert password["aria-invalid"] == "true" and not password.get("value")
    told = described_by(main, password)
    assert "too short" in told and "At least 8 characters." in told
    # The field error sits between the label and the input, so it is read before typing again.
    field = password.find_parent(class_="field")
    assert [child.name for child in field.find_all(recursive=False)] == ["label", "div", "input", "div"]
    assert "field--invalid" in field["class"]


def test_a_wrong_password_is_announced_once_for_the_form(pub: Any) -> None:
    make_reader("known@example.com", PASSWORD)
    response = reader().post("/accounts/login/", {"login": "known@example.com", "password": "not it at all"})
    main = BeautifulSoup(response.content.decode(), "html.parser").select_one("main")

    alerts = main.select("[role=alert]")
    assert len(alerts) == 1 and "not correct" in alerts[0].get_text()
    assert main.select_one("input[name=login]")["value"] == "known@example.com"
    # The way out is next to the password: the reset link is the password's description.
    password = main.select_one("input[name=password]")
    assert described_by(main, password) == "Forgotten your password?"
    assert main.select_one("#id_password_helptext a")["href"] == "/accounts/password/reset/"


def test_a_wrong_code_is_announced_in_japanese(pub: Any) -> None:
    client = reader("ja")
    code_confirm(client)
    response = client.post("/accounts/login/code/confirm/", {"code": "WRONG-CODE"})
    html = response.content.decode()
    main = BeautifulSoup(html, "html.parser").select_one("main")

    assert main.select_one("[role=alert]").get_text(strip=True) == "下記の項目を修正してください。"
    code = main.select_one("input[name=code]")
    assert code["aria-invalid"] == "true" and described_by(main, code)
    assert main.select_one(f'label[for="{code["id"]}"]').get_text(strip=True) == "メールに記載のコード"


def test_log_in_offers_the_code_and_registration(pub: Any) -> None:
    main = open_page("log-in").select_one("main")

    # The password form is the page's first form (sign-in tests submit "main form [type=submit]").
    first = main.select_one("form")
    assert first["action"] == "/accounts/login/"
    assert first.select_one("[type=submit]").get_text(strip=True) == "Log in"
    code = main.select_one('a[href="/accounts/login/code/"]')
    assert code.get_text(strip=True) == "E-mail me a sign-in code"
    assert main.select_one('a[href^="/accounts/signup/"]').get_text(strip=True) == "Register for free"


def test_the_confirmation_page_names_the_address_and_confirms_with_one_button(pub: Any) -> None:
    main = open_page("confirm e-mail").select_one("main")

    assert "new@example.com" in main.get_text()
    buttons = main.select("button")
    assert [b.get_text(strip=True) for b in buttons] == ["Confirm"]


@pytest.mark.parametrize(("language", "heading"), [("en", "Register for free"), ("ja", "無料で会員登録")])
def test_the_walls_register_for_free_leads_to_a_page_saying_it(pub: Any, language: str, heading: str) -> None:
    article = make_article(pub, access="registered")
    client = reader(language)
    version = article.url if language == "en" else f"/{language}{article.url}"  # core.language_urls
    wall = BeautifulSoup(client.get(version).content.decode(), "html.parser")
    assert wall.select_one("[data-paywall-state]")["data-paywall-state"] == "registration-wall"

    button = wall.select_one(".paywall .paywall__button")
    assert button.get_text(strip=True) == heading
    page = BeautifulSoup(client.get(button["href"]).content.decode(), "html.parser")

    assert page.select_one("h1").get_text(strip=True) == heading
    # Registering from here returns the reader to the article, in the version they were reading.
    assert page.select_one("main form input[name=next]")["value"] == version
