"""The article editor in the Wagtail admin: its form and the panels that speak the newsroom's words.

Wagtail autosaves a new page as a draft as soon as its headline is typed. An editor who leaves
and starts the same story again would meet "The slug … is already in use" on a tab they cannot
see. Here a story that has never been published takes the next free address instead
("headline-2"), the editor is told which article holds the first one, and nothing of that other
article changes. A published story's address is never moved behind the editor's back: changing
it to a taken one is still refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.forms.formsets import ORDERING_FIELD_NAME
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel, Panel
from wagtail.models import Page

SLUG_MAX_LENGTH = 255


@dataclass(frozen=True)
class AddressTaken:
    """The address the editor's story asked for belonged to another page, so it got another."""

    asked: str
    given: str
    holder: Page


def next_free_slug(*, slug: str, parent: Page, page: Page) -> str:
    """`slug-2`, `slug-3`, … : the first address under `parent` that no other page holds."""
    taken = set(
        parent.get_children()
        .not_page(page)
        .filter(slug__startswith=slug[: SLUG_MAX_LENGTH - 10])
        .values_list("slug", flat=True)
    )
    suffix = 2
    while True:
        tail = f"-{suffix}"
        candidate = f"{slug[: SLUG_MAX_LENGTH - len(tail)]}{tail}"
        if candidate not in taken:
            return candidate
        suffix += 1


def address_may_move(page: Page) -> bool:
    """Only a story no reader has had a link to yet: new, or a draft never published."""
    return page.pk is None or (not page.live and page.first_published_at is None)


class ArticlePageForm(WagtailAdminPageForm):
    """The article editor's form: a never-published story whose address is taken gets the next
    free one (see the module docstring); `address_taken` says which, for the editor's message."""

    address_taken: AddressTaken | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per formset, the rows at its end the editor has not touched (see defer_required_fields).
        self._untouched_rows: dict[str, list[Any]] = {}

    def defer_required_fields(self) -> None:
        # A draft may still have its byline row empty (the row the editor is shown at first):
        # without this, Wagtail builds that row as required before lifting the formset's minimum,
        # and the autosave after the first keystroke in the headline fails. Publishing still
        # needs a byline.
        if self.is_deferred_validation:
            return
        minimums = {}
        for name, formset in self.formsets.items():
            if "forms" not in formset.__dict__ and formset.min_num:
                minimums[name], formset.min_num = formset.min_num, 0
        super().defer_required_fields()
        self.deferred_formset_min_nums.update(minimums)
        for name, formset in self.formsets.items():
            untouched = []
            # The row's position is filled in by the page, not the editor: a new row the editor
            # has not touched is empty, not a byline without an author. Only rows at the end:
            # the saved rows must stay the formset's first ones (see get_field_updates_for_resave).
            for index in reversed(range(formset.initial_form_count(), len(formset.forms))):
                form = formset.forms[index]
                if form.instance.pk is not None or form.changed_data != [ORDERING_FIELD_NAME]:
                    break
                form.fields[ORDERING_FIELD_NAME].disabled = True
                del form.changed_data  # a cached property, computed again without the position
                untouched.append(form)
            if untouched:
                self._untouched_rows[name] = untouched

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()
        for rows in self._untouched_rows.values():
            for form in rows:
                # Skipped as empty, so never cleaned; the editor re-renders rows in cleaned order.
                form.cleaned_data.setdefault(ORDERING_FIELD_NAME, None)
        return valid

    def clean(self) -> dict[str, Any]:
        slug = self.cleaned_data.get("slug")
        if slug and self.parent_page is not None and address_may_move(self.instance):
            holder = self.parent_page.get_children().not_page(self.instance).filter(slug=slug).first()
            if holder is not None:
                given = next_free_slug(slug=slug, parent=self.parent_page, page=self.instance)
                self.cleaned_data["slug"] = given
                self.address_taken = AddressTaken(asked=slug, given=given, holder=holder.specific_deferred)
                # The views hand the hooks the page, not the form: the message is written there.
                self.instance._address_taken = self.address_taken
        return super().clean()  # type: ignore[no-any-return]

    def get_field_updates_for_resave(self) -> list[tuple[str, str]]:
        # After an autosave the open editor must carry the new address, or the next autosave
        # would ask for the taken one again.
        updates: list[tuple[str, str]] = super().get_field_updates_for_resave()
        # Wagtail counts every row as saved; an untouched row was not, and must stay a new row,
        # or the next save would take it for a saved byline and drop whatever the editor puts in it.
        for name, rows in self._untouched_rows.items():
            formset = self.formsets[name]
            key = f"{formset.management_form.prefix}-INITIAL_FORMS"
            updates = [(field, value) for field, value in updates if field != key]
            saved = formset.total_form_count() - len(rows)
            if saved != formset.initial_form_count():
                updates.append((key, str(saved)))
        if self.address_taken is not None:
            updates.append(("slug", self.address_taken.given))
        return updates


class BylinesPanel(InlinePanel):
    """The bylines: "Byline 1", "Byline 2" and an "Add a byline" button (not "Add Bylines")."""

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "news/admin/bylines_panel.html"


class SameHeadlinePanel(Panel):
    """Shown only when another article in the same section carries this story's headline: most
    often the draft autosaved the first time the editor started it. Points to it; changes nothing."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/same_headline_panel.html"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.others = self._same_headline()

        def _same_headline(self) -> list[Page]:
            page = self.instance
            title = (page.draft_title or page.title or "").strip()
            if page.pk is None or not title:
                return []
            parent = page.get_parent()
            if parent is None:
                return []
            siblings = parent.get_children().not_page(page)
            return list(
                siblings.filter(Q(title__iexact=title) | Q(draft_title__iexact=title)).order_by("pk")[:5]
            )

        def is_shown(self) -> bool:
            return bool(self.others)

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context: dict[str, Any] = super().get_context_data(parent_context)
            context["others"] = self.others
            context["section"] = self.instance.get_parent()
            return context


ACCESS_HELP = _(
    "Free: everyone reads the whole story and it never counts. Metered: counts against the free "
    "allowance (Settings → Meter); past it, anonymous readers meet the registration wall and "
    "registered readers the offer. Registered readers: anyone signed in with a confirmed e-mail "
    "address reads it; others see the registration wall. Subscribers only: subscribers and "
    "trialists read it; everyone else sees the subscribe prompt. Readers without access see the "
    "kicker, headline, standfirst, hero photo and the teaser only."
)

SPONSOR_HELP = _(
    "Choose the sponsor only when a sponsor paid for this story. A sponsored story is always free "
    "to read, whatever the access level above, and carries the 'Sponsored' label and the sponsor's "
    "disclosure."
)

ADDRESS_TAKEN_MESSAGE = _(
    "The address “%(asked)s” belongs to another page in %(section)s, “%(holder)s”, so this story's "
    "address is “%(given)s”. Nothing of the other page was changed."
)
