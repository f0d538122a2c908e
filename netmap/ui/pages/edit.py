"""Edit: add, change and delete institutions, contacts, ties, initiatives, cities and
participations, with the same validation as an import.

An edit is saved against the version of the record the user opened: if someone else saved
it in between, the store refuses (a conflict) and the page says so; nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from pydantic import ValidationError

from netmap import codes
from netmap.errors import Conflict, NetmapError
from netmap.i18n import N_
from netmap.i18n import gettext as _
from netmap.io.report import pydantic_problems
from netmap.model import EVIDENCE_FIELDS, Record, RecordKind, derive_id
from netmap.tables import human_moment
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached, widgets
from netmap.ui.access import guarded_store, require
from netmap.ui.text import country_label, field_label, language_label, shown_as
from netmap.ui.widgets import run_page

#: The kinds of record the page edits, as its choice names them (translated where shown).
KINDS = {
    RecordKind.INSTITUTION: N_("Institution"),
    RecordKind.CONTACT: N_("Contact"),
    # Translators: one tie (a relation of working together) between two institutions.
    RecordKind.TIE: N_("Tie"),
    RecordKind.INITIATIVE: N_("Initiative"),
    # Translators: one institution taking part in an initiative (a kind of record).
    RecordKind.PARTICIPATION: N_("Participation"),
    RecordKind.CITY: N_("City"),
    # Translators: a document records come from (a kind of record).
    RecordKind.SOURCE: N_("Source"),
}
#: The messages that name a kind of record, whole sentences per kind (their words agree
#: with the kind's gender in Greek and the Slavic languages).
SAVED = {
    RecordKind.INSTITUTION: N_("Saved institution %(id)s."),
    RecordKind.CONTACT: N_("Saved contact %(id)s."),
    RecordKind.TIE: N_("Saved tie %(id)s."),
    RecordKind.INITIATIVE: N_("Saved initiative %(id)s."),
    RecordKind.PARTICIPATION: N_("Saved participation %(id)s."),
    RecordKind.CITY: N_("Saved city %(id)s."),
    RecordKind.SOURCE: N_("Saved source %(id)s."),
}
DELETED = {
    RecordKind.INSTITUTION: N_("Deleted institution %(id)s."),
    RecordKind.CONTACT: N_("Deleted contact %(id)s."),
    RecordKind.TIE: N_("Deleted tie %(id)s."),
    RecordKind.INITIATIVE: N_("Deleted initiative %(id)s."),
    RecordKind.PARTICIPATION: N_("Deleted participation %(id)s."),
    RecordKind.CITY: N_("Deleted city %(id)s."),
    RecordKind.SOURCE: N_("Deleted source %(id)s."),
}
DELETING = {
    RecordKind.INSTITUTION: N_(
        "Deleting institution %(id)s cannot be undone here and also deletes its contacts, "
        "ties and participations."
    ),
    RecordKind.CONTACT: N_("Deleting contact %(id)s cannot be undone here."),
    RecordKind.TIE: N_("Deleting tie %(id)s cannot be undone here."),
    RecordKind.INITIATIVE: N_("Deleting initiative %(id)s cannot be undone here."),
    RecordKind.PARTICIPATION: N_("Deleting participation %(id)s cannot be undone here."),
    RecordKind.CITY: N_("Deleting city %(id)s cannot be undone here."),
    RecordKind.SOURCE: N_("Deleting source %(id)s cannot be undone here."),
}
NONE_YET = {
    RecordKind.INSTITUTION: N_("No institutions yet: add one first."),
    RecordKind.CONTACT: N_("No contacts yet: add one first."),
    RecordKind.TIE: N_("No ties yet: add one first."),
    RecordKind.INITIATIVE: N_("No initiatives yet: add one first."),
    RecordKind.PARTICIPATION: N_("No participations yet: add one first."),
    RecordKind.CITY: N_("No cities yet: add one first."),
    RecordKind.SOURCE: N_("No sources yet: add one first."),
}
WHICH = {
    RecordKind.INSTITUTION: N_("Which institution"),
    RecordKind.CONTACT: N_("Which contact"),
    RecordKind.TIE: N_("Which tie"),
    RecordKind.INITIATIVE: N_("Which initiative"),
    RecordKind.PARTICIPATION: N_("Which participation"),
    RecordKind.CITY: N_("Which city"),
    RecordKind.SOURCE: N_("Which source"),
}
#: The help of a field that holds another record's id, when it is typed in (a long list).
ID_HELP = {
    RecordKind.INSTITUTION: N_("The id of the institution: find it with the Directory's search."),
    RecordKind.INITIATIVE: N_("The id of the initiative: find it with the Directory's search."),
}
#: What the page does (the values are the choice's keys; their labels are translated).
ACTIONS = (N_("Add a new one"), N_("Change one"), N_("Delete one"))
# Fields chosen from a vocabulary of the taxonomy: (table, field) -> vocabulary.
CHOICES = {
    ("institutions", "sector"): "sectors",
    ("institutions", "kind"): "kinds",
    ("institutions", "level"): "levels",
    ("initiatives", "kind"): "initiative_kinds",
    ("contacts", "legal_basis"): "legal_bases",
    ("ties", "kind"): "tie_kinds",
    ("participations", "role"): "participation_roles",
    ("institutions", "services_evidence"): "evidence",
    **{(kind.value, "evidence"): "evidence" for kind in KINDS if kind is not RecordKind.SOURCE},
}
MULTI_CHOICES = {
    ("institutions", "services"): "services",
    ("institutions", "target_groups"): "target_groups",
    ("sources", "covers"): "source_covers",
    ("sources", "sectors"): "sectors",
}
LONG_TEXT = {
    "notes", "address", "source", "quote", "inferred_from", "services_quote",
    "services_inferred_from", "about",
}  # fmt: skip
FLAGS = {"focal_point", "collective", "complete"}
#: Where a record comes from and how it is known: shown together, after what it says.
PROVENANCE = (
    "source", *EVIDENCE_FIELDS, "services_evidence", "services_quote", "services_inferred_from",
)  # fmt: skip
EVIDENCE_MEANING = N_(
    "**How is this known?** *Documented*: a source states it — name the source and copy its "
    "words into the quote, in their language, with where they stand. *Reported*: someone "
    "said so — who and when. *Inferred*: reasoned from a source — say from what. "
    "*Modelled*: an illustration only, left out of every analysis unless asked for."
)
STRENGTHS = {
    # Translators: the strength of a tie, on a scale of three.
    1: N_("1 – weak"),
    2: N_("2 – working"),
    3: N_("3 – strong"),
}
DIRECTED = {
    # Translators: whether a tie goes one way: as its kind usually does.
    None: N_("As usual for the kind"),
    True: N_("Yes, one way"),
    False: N_("No, both ways"),
}
#: The form's labels where they say more than a table's header (:func:`field_label`).
LABELS = {
    "name_local": N_("Name in the local script"),
    "source_id": N_("From institution"),
    "target_id": N_("To institution"),
    "last_verified": N_("Last verified (YYYY-MM-DD, YYYY-MM or YYYY)"),
    "since": N_("Since (date)"),
    "until": N_("Until (date)"),
    "start": N_("Start (date)"),
    "end": N_("End (date)"),
    "collected_on": N_("Collected on (date)"),
    "informed_on": N_("Told they are listed on (date)"),
    "legal_basis": N_("Legal basis (GDPR art. 6)"),
    "collective": N_("Stands for a group (e.g. the NGOs of a city), not one body"),
    "complete": N_("Claims to list all of what it covers there"),
    "sectors": N_("Sectors within its scope (empty: any)"),
    "quote": N_("Quote (the source's own words)"),
    "quote_location": N_("Where in the source (page, paragraph)"),
    "reported_on": N_("Reported on (date)"),
    "services_evidence": N_("How the services are known (if not as the rest)"),
    "published": N_("Published (date)"),
}


def form_label(field: str) -> str:
    """The label of ``field`` in the form, in the current language."""
    return _(LABELS[field]) if field in LABELS else field_label(field)


def record_label(kind: RecordKind, row: Mapping[Any, Any], names: dict[str, str]) -> str:
    if kind is RecordKind.TIE:
        return (
            f"{names.get(row['source_id'], row['source_id'])} — "
            f"{names.get(row['target_id'], row['target_id'])} "
            f"({load_taxonomy().label('tie_kinds', row['kind'])})"
        )
    if kind is RecordKind.PARTICIPATION:
        # Translators: an institution taking part in an initiative (both are names or ids).
        return _("%(institution)s in %(initiative)s") % {
            "institution": names.get(row["institution_id"], row["institution_id"]),
            "initiative": row["initiative_id"],
        }
    if kind is RecordKind.CITY:
        return f"{row['name']}, {row['country']}"
    return f"{row.get('name') or row['id']} ({row['id']})"


def field_widget(kind: RecordKind, field: str, value: Any, key: str, network, new: bool) -> Any:
    """One form widget for ``field`` of a ``kind`` record, showing ``value``."""
    taxonomy = load_taxonomy()
    model = kind.model
    info = model.model_fields[field]
    # Every record says how it is known; one entered without saying is reported.
    required = (info.is_required() or field == "evidence") and field != "id"
    if field == "evidence":
        value = value or "reported"
    label = form_label(field) + (" *" if required else "")
    table = kind.value
    if field == "id":
        if new:
            return st.text_input(
                _("Id (leave empty to make one from the name and place)"), value or "", key=key
            )
        st.text_input(field_label("id"), value, key=key, disabled=True)
        return value
    if (table, field) in CHOICES:
        options: list[str | None] = list(taxonomy.vocabulary(CHOICES[(table, field)]))
        if not required:
            options = [None, *options]
        return st.selectbox(
            label,
            options,
            index=options.index(value) if value in options else 0,
            format_func=lambda k: "—" if k is None else taxonomy.label(CHOICES[(table, field)], k),
            key=key,
        )
    if (table, field) in MULTI_CHOICES:
        vocabulary = MULTI_CHOICES[(table, field)]
        options = list(taxonomy.vocabulary(vocabulary))
        return st.multiselect(
            label,
            options,
            default=[v for v in value or [] if v in options],
            format_func=lambda k: taxonomy.label(vocabulary, k),
            key=key,
            placeholder=_("Choose options"),
        )
    if field in kind.references:
        target = kind.references[field]
        frame = network[target]
        if len(frame) > widgets.CHOICES_LIMIT:
            # A form reruns nothing before it is sent, so no search can narrow the choices.
            return st.text_input(
                # Translators: a field's label, asking for the id of the record it names.
                _("%(field)s (id)") % {"field": label},
                value or "",
                key=key,
                help=_(ID_HELP[target]) if target in ID_HELP else None,
            )
        names = (
            cached.institution_names(guarded_store())
            if target is RecordKind.INSTITUTION
            else dict(zip(frame["id"], frame["name"], strict=True))
        )
        ids: list[str | None] = list(names)
        if not required:
            ids = [None, *ids]
        return st.selectbox(
            label,
            ids,
            index=ids.index(value) if value in ids else (0 if not required else None),
            format_func=lambda k: "—" if k is None else names.get(k, k),
            key=key,
            placeholder=_("Choose one (type to search)"),
        )
    if field == "country":
        countries = codes.countries()
        options = list(countries)
        return st.selectbox(
            label,
            options,
            index=options.index(value) if value in options else None,
            format_func=country_label,
            key=key,
            placeholder=_("Choose a country"),
        )
    if field == "countries":
        countries = codes.countries()
        return st.multiselect(
            label,
            list(countries),
            default=[c for c in value or [] if c in countries],
            format_func=country_label,
            key=key,
            placeholder=_("Choose options"),
        )
    if field == "languages":
        languages = codes.languages()
        return st.multiselect(
            label,
            list(languages),
            default=[c for c in value or [] if c in languages],
            format_func=language_label,
            key=key,
            placeholder=_("Choose options"),
        )
    if field in FLAGS:
        return st.checkbox(label, value=bool(value), key=key)
    if field == "directed":
        directions: list[bool | None] = list(DIRECTED)
        return st.selectbox(
            label,
            directions,
            index=directions.index(value) if value in directions else 0,
            format_func=shown_as(DIRECTED, translate=True),
            key=key,
        )
    if field == "strength":
        return st.select_slider(
            label,
            list(STRENGTHS),
            value=value or 2,
            format_func=shown_as(STRENGTHS, translate=True),
            key=key,
        )
    text = "" if value is None else str(value)
    if field in LONG_TEXT:
        return st.text_area(label, text, key=key, height=80)
    return st.text_input(label, text, key=key)


#: A contact's personal-data fields, shown together under the legal basis.
PERSONAL_DATA = ("legal_basis", "collected_on", "verified_by", "informed_on")
LEGAL_BASIS_MEANING = N_(
    "The **legal basis** is the ground in the GDPR (article 6) on which this network may hold "
    "this person's contact details: for a professional's work contact it is usually "
    "*legitimate interests*, or *public task* for a public body's own list; without one, "
    "the details should not be kept."
)


def legal_basis_section(
    kind: RecordKind, data: dict[str, Any], form_key: str, network, new: bool, values: dict
) -> None:
    """A contact's legal basis, prominently, with where and when the data came from."""
    st.markdown(_("**Personal data: legal basis and provenance**"))
    st.caption(_(LEGAL_BASIS_MEANING))
    if not new and not data.get("legal_basis"):
        st.warning(
            _(
                "This contact has no legal basis recorded: choose one, or consider whether "
                "netmap should keep their details at all."
            ),
            icon=":material/gavel:",
        )
    values["legal_basis"] = field_widget(
        kind, "legal_basis", data.get("legal_basis"), f"{form_key}-legal_basis", network, new
    )
    columns = st.columns(3)
    for column, field in zip(columns, PERSONAL_DATA[1:], strict=True):
        with column:
            values[field] = field_widget(
                kind, field, data.get(field), f"{form_key}-{field}", network, new
            )
    st.caption(
        _(
            "Told they are listed: the date the person was informed that netmap holds their "
            "details (GDPR article 14); an admin's retention report lists those not told yet."
        )
    )


def problems_of(error: ValidationError) -> list[str]:
    """The same messages an import gives, without the file and row (a field is named as
    an import's column is)."""
    return [f"{p.field}: {p.message}" for p in pydantic_problems("form", 0, error)]


def build_record(kind: RecordKind, values: dict[str, Any], version: int) -> Record:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    values = {k: (None if v == "" else v) for k, v in values.items()}
    if not values.get("id") and kind.model.model_fields["id"].is_required():
        values["id"] = derive_id(kind, values)
    return kind.model.model_validate({**values, "version": version})


def record_form(store, network, kind: RecordKind, opened: dict[str, Any] | None) -> None:
    """The form for a new record (``opened`` None) or the record as it was opened."""
    new = opened is None
    data = opened or {}
    generation = st.session_state.get("edit-generation", 0)
    form_key = f"edit-form-{kind.value}-{data.get('id', 'new')}-{generation}"
    with st.form(form_key):
        values = {}
        # What the record says first; where it comes from and when it was checked last.
        fields = [
            f
            for f in kind.model.data_fields()
            if not (new and f == "id" and kind in (RecordKind.CITY, RecordKind.PARTICIPATION))
        ]
        personal = PERSONAL_DATA if kind is RecordKind.CONTACT else ()
        known = [f for f in PROVENANCE if f in fields]
        fields = [f for f in fields if f not in ("last_verified", *known, *personal)]
        columns = st.columns(2)
        for i, field in enumerate(fields):
            with columns[i % 2]:
                values[field] = field_widget(
                    kind, field, data.get(field), f"{form_key}-{field}", network, new
                )
        st.markdown(_("**Where it comes from**"))
        if "evidence" in known:
            st.caption(_(EVIDENCE_MEANING))
        columns = st.columns(2)
        for i, field in enumerate([*known, "last_verified"]):
            with columns[i % 2]:
                values[field] = field_widget(
                    kind, field, data.get(field), f"{form_key}-{field}", network, new
                )
        if personal:
            legal_basis_section(kind, data, form_key, network, new, values)
        submitted = st.form_submit_button(
            # Translators: the button that adds a new record.
            _("Add") if new else _("Save changes"),
            type="primary",
            key=f"{form_key}-save",
        )
    if not submitted:
        return
    try:
        record = build_record(kind, values, 0 if new else int(data.get("version") or 0))
    except ValidationError as error:
        st.error(
            _("Not saved: %(reason)s") % {"reason": "; ".join(problems_of(error))},
            icon=":material/error:",
        )
        return
    try:
        saved = store.add(record) if new else store.update(record)
    except Conflict as conflict:
        st.error(
            _(
                "Not saved: %(reason)s. Your changes are still in the form; press "
                "“%(reload)s” to see what the other person saved, then make your edit again."
            )
            % {"reason": conflict, "reload": _(RELOAD)},
            icon=":material/sync_problem:",
        )
        return
    except NetmapError as error:
        st.error(_("Not saved: %(reason)s") % {"reason": error}, icon=":material/error:")
        return
    st.session_state[f"edit-opened-{kind.value}-{saved.id}"] = saved.model_dump()
    st.session_state["edit-generation"] = generation + 1
    st.session_state["edit-saved"] = _(SAVED[kind]) % {"id": repr(saved.id)}
    if new:
        # Go on to the new record (widget states can only change before they are drawn).
        st.session_state["edit-pending"] = {
            "edit-action": "Change one",
            f"edit-record-{kind.value}": saved.id,
        }
    st.rerun()


def delete_form(store, kind: RecordKind, opened: dict[str, Any]) -> None:
    st.warning(_(DELETING[kind]) % {"id": repr(opened["id"])})
    sure = st.checkbox(_("Yes, delete it"), key=f"edit-sure-{kind.value}-{opened['id']}")
    if st.button(_("Delete"), type="primary", disabled=not sure, key="edit-delete"):
        try:
            store.delete(kind, opened["id"], version=int(opened.get("version") or 0))
        except NetmapError as error:
            st.error(_("Not deleted: %(reason)s") % {"reason": error})
            return
        st.session_state.pop(f"edit-opened-{kind.value}-{opened['id']}", None)
        st.session_state["edit-pending"] = {f"edit-record-{kind.value}": None}
        st.session_state["edit-saved"] = _(DELETED[kind]) % {"id": repr(opened["id"])}
        st.rerun()


RELOAD = N_("Reload the latest version")


def main() -> None:
    require("editor")
    store = guarded_store()
    network = cached.network(store)
    st.title(_("Edit"))
    for key, value in st.session_state.pop("edit-pending", {}).items():
        st.session_state[key] = value
    if message := st.session_state.pop("edit-saved", None):
        st.success(message)
    left, right = st.columns([3, 2])
    kind = (
        left.segmented_control(
            # Translators: the choice of which kind of record to edit.
            _("What"),
            list(KINDS),
            default=RecordKind.INSTITUTION,
            format_func=shown_as(KINDS, translate=True),
            key="edit-kind",
        )
        or RecordKind.INSTITUTION
    )
    action = (
        right.segmented_control(
            # Translators: the choice of what to do (add, change or delete a record).
            _("Do"),
            list(ACTIONS),
            default="Change one",
            format_func=_,
            key="edit-action",
        )
        or "Change one"
    )
    if action == "Add a new one":
        st.caption(_("Fields marked * are required. The same checks as an import apply."))
        record_form(store, network, kind, None)
        return
    frame = network[kind]
    if frame.empty:
        st.info(_(NONE_YET[kind]))
        return
    names = dict(zip(network.institutions["id"], network.institutions["name"], strict=True))
    labels = {row["id"]: record_label(kind, row, names) for row in frame.to_dict("records")}
    record_id = st.selectbox(
        _(WHICH[kind]),
        list(labels),
        index=None,
        format_func=shown_as(labels),
        key=f"edit-record-{kind.value}",
        placeholder=_("Choose one (type to search)"),
    )
    if not record_id:
        return
    opened_key = f"edit-opened-{kind.value}-{record_id}"
    if opened_key not in st.session_state:
        # The version opened now is the one an edit is saved against.
        st.session_state[opened_key] = store.get(kind, record_id).model_dump()
    opened = st.session_state[opened_key]
    top, reload = st.columns([4, 1])
    saved_at = opened.get("updated_at")
    top.caption(
        _("Version %(version)s, saved %(at)s.")
        % {"version": opened.get("version"), "at": human_moment(saved_at)}
        if saved_at
        else _("Version %(version)s, never saved.") % {"version": opened.get("version")}
    )
    if reload.button(_(RELOAD), key="edit-reload"):
        st.session_state[opened_key] = store.get(kind, record_id).model_dump()
        st.session_state["edit-generation"] = st.session_state.get("edit-generation", 0) + 1
        st.rerun()
    if action == "Delete one":
        delete_form(store, kind, opened)
    else:
        record_form(store, network, kind, opened)


run_page(main)
