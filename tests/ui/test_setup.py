"""The set-up assistant and the settings screen, from an empty database, for every role."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from streamlit.testing.v1 import AppTest

from habitat import store
from habitat.services import setup
from habitat.services.access import READ, Screen
from habitat.services.auth import add_user
from habitat.store.entities import (
    Account,
    CommonSpace,
    Dwelling,
    Habitat,
    PresenceException,
    PresencePattern,
    Role,
    SharedLifeProject,
)
from habitat.ui.navigation import page_file

from .conftest import APP, TIMEOUT, sign_in, texts

PASSWORD = "un mot de passe sûr"
#: English a French screen must never show (Streamlit's own words included).
ENGLISH = re.compile(
    r"Traceback|\b[A-Z]\w*Error\b|\bException:"
    r"|\b(Choose|Select all|Submit|Save|None|nan|True|False)\b"
)


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    """`habitat db init` and one account per role (no habitat, no resident)."""
    path = tmp_path / "habitat.db"
    store.init(path)
    with store.connect(path) as db:
        for role in (Role.ANIMATOR, Role.HOST, Role.PROMOTER):
            add_user(
                db,
                "cli:test",
                username=f"{role.value}.one",
                display_name=f"Compte {role.value}",
                role=role,
                password=PASSWORD,
            )
    monkeypatch.setenv("HABITAT_DB", str(path))
    monkeypatch.setenv("HABITAT_TODAY", "2026-12-01")
    return path


def _account(path, role: Role) -> Account:
    with store.connect(path) as db:
        return next(a for a in store.find(db, Account) if a.role is role)


def _app(path, role: Role, page=None) -> AppTest:
    target = APP if page is None else page_file(page)
    return sign_in(AppTest.from_file(str(target), default_timeout=TIMEOUT), _account(path, role))


def _clean(app: AppTest) -> str:
    assert not app.exception, app.exception
    shown = texts(app)
    assert not ENGLISH.search(shown), ENGLISH.search(shown)
    return shown


def _count(path, model) -> int:
    with store.connect(path) as db:
        return len(store.find(db, model))


def test_the_animator_lands_on_the_assistant_not_a_dead_end(empty_db):
    app = _app(empty_db, Role.ANIMATOR).run()
    shown = _clean(app)
    assert "Mise en place de l'habitat" in shown
    assert "Aucun habitat n'est encore enregistré" not in shown
    assert app.text_input(key="setup.habitat.name")


@pytest.mark.parametrize("role", [Role.HOST, Role.PROMOTER])
def test_other_roles_are_told_the_animator_must_finish(empty_db, role):
    app = _app(empty_db, role).run()
    shown = _clean(app)
    if role is Role.HOST:
        assert "l'animateur·rice-coordinateur·rice doit d'abord terminer" in shown
    assert "Mise en place de l'habitat" not in shown


@pytest.mark.parametrize("screen", [Screen.SETUP, Screen.SETTINGS, Screen.DASHBOARD])
@pytest.mark.parametrize("role", [Role.HOST, Role.PROMOTER])
def test_no_role_but_the_animator_opens_the_assistant(empty_db, role, screen):
    app = _app(empty_db, role, screen).run()
    shown = _clean(app)
    if screen not in READ[role]:
        assert "Votre rôle ne donne pas accès à cette page." in shown
    elif screen is not Screen.SETUP:
        assert "doit d'abord terminer" in shown
    assert not app.text_input


def _submit(app: AppTest, form: str) -> AppTest:
    button = next(b for b in app.button if b.key is not None and form in str(b.key))
    return button.click().run()


def _step(app: AppTest, form: str, **values) -> AppTest:
    for key, value in values.items():
        widget = next(
            w
            for kind in ("text_input", "text_area", "number_input", "date_input", "time_input")
            for w in getattr(app, kind)
            if w.key == f"{form}.{key}"
        )
        widget.set_value(value)
    return app.button(key=f"FormSubmitter:{form}-{_label(app, form)}").click().run()


def _label(app: AppTest, form: str) -> str:
    keys = [b.key for b in app.button if str(b.key).startswith(f"FormSubmitter:{form}-")]
    assert len(keys) == 1, keys
    return keys[0].split("-", 1)[1]


def test_the_assistant_step_by_step_refusals_in_french_then_resumed(empty_db):
    app = _app(empty_db, Role.ANIMATOR).run()
    app = _step(app, "setup.habitat", name="", host_organisation="Asso", address="1 rue")
    shown = _clean(app)
    assert "ne peut pas être vide" in shown and "Rien n'a été enregistré" in shown
    assert _count(empty_db, Habitat) == 0
    app = _step(
        app,
        "setup.habitat",
        name="Maison des Lilas",
        host_organisation="Asso Vivre",
        address="3 rue des Lilas",
        dwellings=3,
    )
    _clean(app)
    # Saved again (back to the first step): changed in place, never a second habitat.
    app = app.radio(key="setup.step").set_value("habitat").run()
    app = _step(app, "setup.habitat", name="Maison des Lilas")
    assert _count(empty_db, Habitat) == 1
    # Leave and come back: the assistant resumes at the dwellings.
    app = _app(empty_db, Role.ANIMATOR).run()
    assert app.radio(key="setup.step").value == "dwellings"
    app = _step(app, "setup.dwellings", names="Logement 1\nLogement 1")
    assert "« Logement 1 » est déjà dans la liste" in _clean(app)
    app = _step(app, "setup.dwellings", names="Logement 1\nLogement 2\nStudio")
    _clean(app)
    assert _count(empty_db, Dwelling) == 3
    assert app.radio(key="setup.step").value == "spaces"
    app = _step(app, "setup.spaces", lines="Cuisine ; douze")
    assert "ligne 1" in _clean(app)
    app = _step(app, "setup.spaces", lines="Cuisine ; 12\nJardin")
    assert _count(empty_db, CommonSpace) == 2
    app = _step(app, "setup.avp", avp_amount_per_resident=0.0)
    assert "montant par habitant" in _clean(app)
    app = _step(app, "setup.avp", avp_amount_per_resident=7500.0, avp_start=date(2026, 1, 1))
    _clean(app)
    app = _step(app, "setup.project", text="Vivre ensemble.", adopted_by="Asso Vivre")
    assert _count(empty_db, SharedLifeProject) == 1
    assert app.radio(key="setup.step").value == "rota"
    app = _step(app, "setup.pattern", person="", starts=time(9, 0), ends=time(17, 0))
    assert "ne peut pas être vide" in _clean(app)
    app = _step(app, "setup.pattern", person="Claire Martin", starts=time(9, 0), ends=time(17, 0))
    shown = _clean(app)
    assert _count(empty_db, PresencePattern) == 5
    assert "Et maintenant ?" in shown and "sans personne présente" in shown


def _set_up(path):
    from habitat.services.access import User

    with store.connect(path) as db:
        user = User(0, "t", "T", Role.ANIMATOR, None)
        setup.apply(
            db,
            user,
            {
                "habitat": {"name": "Maison", "host_organisation": "Asso", "address": "1 rue"},
                "dwellings": 4,
                "spaces": ["Cuisine"],
                "avp": {"amount_per_resident": 5000, "start": "2026-01-01"},
                "project": {"text": "Ensemble", "adopted_on": "2026-01-01", "adopted_by": "Asso"},
                "presence": {
                    "weekly": [
                        {
                            "person": "Léa",
                            "role": "animator",
                            "weekdays": [0, 1],
                            "from": "09:00",
                            "to": "17:00",
                        }
                    ]
                },
            },
        )


@pytest.mark.parametrize("role", [Role.ANIMATOR, Role.HOST, Role.PROMOTER])
def test_the_settings_screen_for_every_role(empty_db, role):
    _set_up(empty_db)
    app = _app(empty_db, role, Screen.SETTINGS).run()
    shown = _clean(app)
    if role is Role.PROMOTER:
        assert "Votre rôle ne donne pas accès à cette page." in shown
    elif role is Role.HOST:
        assert "Seul·e l'animateur·rice-coordinateur·rice modifie" in shown
        assert not app.text_input and not app.button
    else:
        assert app.text_input(key="settings.habitat.name").value == "Maison"


def test_the_settings_add_an_exception_and_the_week_shows_the_gap(empty_db):
    _set_up(empty_db)
    app = _app(empty_db, Role.ANIMATOR, Screen.SETTINGS).run()
    app = _step(app, "settings.exception", person="Famille Roux", starts=time(14, 0))
    shown = _clean(app)
    assert "choisissez le créneau hebdomadaire à annuler" in shown
    assert _count(empty_db, PresenceException) == 0
    app.selectbox(key="settings.exception.pattern_id").set_value(1)
    app = _step(app, "settings.exception", day=date(2026, 11, 30), reason="Formation")
    shown = _clean(app)
    assert _count(empty_db, PresenceException) == 1
    assert "Formation" in str(app.dataframe[0].value.to_dict()) or "Exception enregistrée" in shown


def test_the_animator_menu_leaves_the_assistant_once_done(empty_db):
    _set_up(empty_db)
    app = _app(empty_db, Role.ANIMATOR).run()
    shown = _clean(app)
    assert "Mise en place de l'habitat" not in shown
    assert [t.value for t in app.title] == ["Tableau de bord"]


def test_what_if_on_records_with_a_ninth_resident_in_logement_7_says_what_to_fix(demo_db, accounts):
    """Reproduces the crash: a 9th resident saved into an occupied "Logement 7" (written
    as a database from before the store's rule), then "Et si… pour mon habitat"."""
    with store.connect(demo_db) as db:
        columns = [c[0] for c in db.execute("SELECT * FROM resident LIMIT 1").description]
        row = dict(
            zip(
                columns,
                db.execute("SELECT * FROM resident WHERE exit_date IS NULL").fetchone(),
                strict=True,
            )
        )
        row.pop("id")
        row.update(pseudonym="H-ZZZZZZ", dwelling="Logement 7")
        with store.transaction(db):
            db.execute(
                f"INSERT INTO resident ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
    app = sign_in(
        AppTest.from_file(str(page_file(Screen.WHAT_IF)), default_timeout=TIMEOUT),
        accounts[Role.ANIMATOR],
    ).run()
    shown = _clean(app)
    assert "les fiches se contredisent" in shown
    assert "« Logement 7 » est attribué à 2 habitant·es" in shown
